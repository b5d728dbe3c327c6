"""Event extraction: from a parsed article to coded events with evidence.

Modules, in the order the data meets them:

- :mod:`.pipeline`   runs spaCy over a stream of articles (``nlp.pipe``) and calls the stages below
- :mod:`.coder`        the cascade: finds event mentions and codes each one
- :mod:`.detect`       triggers and modality (planned, denied, foiled, recalled ...)
- :mod:`.typing_rules` the ACLED codebook decisions (type, sub-type) and PLOVER
- :mod:`.actors`       actors normalised in ACLED style, from the actor dictionary
- :mod:`.roles`        who acted on whom, from the dependency parse
- :mod:`.merge`        several mentions of one incident folded into one event
- :mod:`.casualties`   fatalities and injuries, ACLED conventions
- :mod:`.dates`        event dates resolved against the publication date, with precision
- :mod:`.confidence`   calibrated confidence
- :mod:`.relevance`    does the document report a specific incident (in a region)? MUC-4 relevance
- :mod:`.knowledge`    loading and validating the data files in ``eventscope/data``

Places and event locations come from :mod:`eventscope.geo`.
"""

from .pipeline import Extractor

__all__ = ["Extractor"]
