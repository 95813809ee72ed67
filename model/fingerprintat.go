package model

// FingerprintAt returns Fingerprint(s): the fingerprint of the state s
// points to, read in place rather than copied, as the checker does for
// every transition. It implements checker.FingerprinterAt.
func (m *Model) FingerprintAt(s *State) uint64 { return Fingerprint(s) }
