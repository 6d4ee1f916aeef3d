//go:build race

package testkit

// RaceEnabled reports whether the race detector is on in this build.
const RaceEnabled = true
