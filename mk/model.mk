# The built-in event-type model: trained by `make install` from the corpus the project writes
# itself (src/eventscope/extract/training/), deterministically, into the user cache
# ($EVENTSCOPE_HOME or ~/.cache/eventscope/typemodel-<hash>/), and again when the corpus or
# the model's code changes. Never a file in the repository; see training/README.md.
# Included by the main Makefile (`-include mk/*.mk`); target: model.

MODEL_STAMP := $(VENV)/.typemodel

.PHONY: model

model: $(MODEL_STAMP)

$(MODEL_STAMP): $(STAMP) $(wildcard src/eventscope/extract/training/*) src/eventscope/extract/typemodel.py
	$(BIN)/eventscope train --builtin
	@touch $(MODEL_STAMP)

install: $(MODEL_STAMP)
