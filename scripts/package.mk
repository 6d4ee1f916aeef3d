# Installs EtherLearn from its package. For the current user (no root):
#   make install            binary in ~/.local/bin, menu entry and icons in ~/.local/share
#   make uninstall
# System-wide: sudo make install PREFIX=/usr/local
PREFIX ?= $(HOME)/.local
ID     := io.etherlearn.app
BINDIR  = $(DESTDIR)$(PREFIX)/bin
APPDIR  = $(DESTDIR)$(PREFIX)/share/applications
ICONDIR = $(DESTDIR)$(PREFIX)/share/icons/hicolor
SIZES  := $(notdir $(wildcard share/icons/hicolor/*))

# Desktops watch these folders and pick the entry up by themselves. An icon
# cache is refreshed only where one exists already: a new cache in
# ~/.local/share/icons would go stale and hide icons other programs add.
REFRESH_ICON_CACHE = if [ -f $(ICONDIR)/icon-theme.cache ]; then gtk-update-icon-cache -q -f -t $(ICONDIR) 2>/dev/null || true; fi

.PHONY: install uninstall

install:
	install -D -m 755 bin/etherlearn $(BINDIR)/etherlearn
	@for s in $(SIZES); do \
		install -D -m 644 share/icons/hicolor/$$s/apps/$(ID).png $(ICONDIR)/$$s/apps/$(ID).png || exit 1; \
	done
	@# The menu entry names the binary by its full path: ~/.local/bin is not
	@# on every desktop session's PATH.
	mkdir -p $(APPDIR)
	sed 's|^Exec=.*|Exec="$(PREFIX)/bin/etherlearn"|' share/applications/$(ID).desktop > $(APPDIR)/$(ID).desktop
	chmod 644 $(APPDIR)/$(ID).desktop
	@$(REFRESH_ICON_CACHE)
	@echo "EtherLearn installed: $(PREFIX)/bin/etherlearn and a menu entry."

uninstall:
	rm -f $(BINDIR)/etherlearn $(APPDIR)/$(ID).desktop
	@for s in $(SIZES); do rm -f $(ICONDIR)/$$s/apps/$(ID).png; done
	@$(REFRESH_ICON_CACHE)
	@echo "EtherLearn removed from $(PREFIX)."
