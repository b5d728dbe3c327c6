# Web dashboard: front-end libraries from npm, and Debian's Chromium for the browser tests.
# Included by the main Makefile (`-include mk/*.mk`); targets: web-assets, browser-deps.

VENDOR      := src/eventscope/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed
CHROMIUM    ?= /usr/bin/chromium

.PHONY: web-assets browser-deps

web-assets: $(VENDOR_STAMP)

# npm ci installs exactly what package-lock.json pins; the files the pages load are copied
# into the package (git-ignored), so nothing is fetched from a CDN when a page loads.
$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; \
	  else \
	    echo "web-assets: npm is missing; install Node.js and npm (Debian: apt-get install npm)" >&2; \
	    exit 1; \
	  fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE.leaflet
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/topojson-client/LICENSE $(VENDOR)/LICENSE.topojson-client
	@# Natural Earth 1:50m country shapes (public domain) as TopoJSON, from world-atlas.
	cp node_modules/world-atlas/countries-50m.json $(VENDOR)/
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE.world-atlas
	@touch $@

# Debian's Chromium drives the end-to-end tests (tests/browser); no browser is downloaded
# by any other means.
browser-deps:
	@if [ -x $(CHROMIUM) ]; then \
	  echo "browser-deps: $$($(CHROMIUM) --version 2>/dev/null | head -n1)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
	  echo "browser-deps: $(CHROMIUM) is missing and this is not root: install Debian's" \
	       "chromium package (sudo apt-get install chromium) to run the browser tests" >&2; \
	  exit 1; \
	fi
