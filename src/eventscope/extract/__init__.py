"""Event extraction: from a parsed article to coded events with evidence.

Modules, in the order the data meets them:

- :mod:`.pipeline`   runs spaCy over a stream of articles (``nlp.pipe``) and calls the stages below
- :mod:`.coder`      finds event mentions and codes type, sub-type, PLOVER, actors, confidence
- :mod:`.casualties` fatalities and injuries, ACLED conventions
- :mod:`.dates`      event dates resolved against the publication date, with precision

Places and event locations come from :mod:`eventscope.geo`.
"""

from .pipeline import Extractor

__all__ = ["Extractor"]
