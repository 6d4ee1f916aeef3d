// Package assets bundles EtherLearn's icon and other resources, embedded
// in the binary. It holds bytes only: the ui and main packages turn them into
// Fyne resources, so nothing below ui imports Fyne.
package assets

import _ "embed"

// IconPNG is the application icon (512×512 PNG drawn by scripts/mkicon,
// which also draws the smaller sizes in icons/), also named in FyneApp.toml.
//
//go:embed icon.png
var IconPNG []byte
