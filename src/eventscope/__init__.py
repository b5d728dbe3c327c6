"""eventscope: news reports in, a geocoded, evidence-linked database of conflict events out.

The library is the product; the ``eventscope`` command is a thin layer over it.
Nothing is loaded at import time: models, gazetteers and databases are opened
explicitly and cached by the objects that need them.
"""

__version__ = "0.1.0"

#: Bumped whenever extraction output may change for the same input; part of every event id.
PIPELINE_VERSION = "1"

__all__ = ["__version__", "PIPELINE_VERSION"]
