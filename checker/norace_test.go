//go:build !race

package checker

// raceEnabled makes tests use smaller models under the race detector.
const raceEnabled = false
