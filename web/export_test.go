package web

import "time"

// Hooks for the tests of package web_test.

// UploadsInFlight is the number of upload slots taken.
func (s *Server) UploadsInFlight() int { return s.uploads.inFlight() }

// UploadsQueued is the number of uploads waiting for a slot.
func (s *Server) UploadsQueued() int { return s.uploads.queued() }

// waitABit lets other goroutines run while a test waits for a state it
// polls (never a timed assertion: the test only goes on once it holds).
func waitABit() { time.Sleep(time.Millisecond) }
