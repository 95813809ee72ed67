package main

import (
	"fmt"

	"github.com/tcpcheck/tcpcheck/model"
)

// liveNotChecked says why liveness is not checked under s, or "".
func liveNotChecked(s model.Settings) string {
	if s.Horizon == 0 {
		return ""
	}
	return fmt.Sprintf("liveness needs unbounded time (--horizon 0): under a horizon of %d ticks every run is finite", s.Horizon)
}
