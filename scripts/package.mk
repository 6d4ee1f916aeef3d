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
	-@update-desktop-database -q $(APPDIR) 2>/dev/null || true
	-@gtk-update-icon-cache -q -t $(ICONDIR) 2>/dev/null || true
	@echo "EtherLearn installed: $(PREFIX)/bin/etherlearn and a menu entry."

uninstall:
	rm -f $(BINDIR)/etherlearn $(APPDIR)/$(ID).desktop
	@for s in $(SIZES); do rm -f $(ICONDIR)/$$s/apps/$(ID).png; done
	-@update-desktop-database -q $(APPDIR) 2>/dev/null || true
	-@gtk-update-icon-cache -q -t $(ICONDIR) 2>/dev/null || true
	@echo "EtherLearn removed from $(PREFIX)."
