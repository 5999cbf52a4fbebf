package main

import (
	"os"
	"testing"
)

// benchServeEnv makes the test binary act as the isms program: isms bench
// starts the server as its own executable with `serve`, which in a test is
// this binary (TestGenerateAndBench sets it).
const benchServeEnv = "ISMS_TEST_ACT_AS_ISMS"

func TestMain(m *testing.M) {
	if os.Getenv(benchServeEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
