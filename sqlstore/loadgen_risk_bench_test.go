package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms/loadgen"
)

// benchRiskStore measures the risk register's reads, once the risk
// element is in the store.
func benchRiskStore(b *testing.B, l *loadgen.Large) {}
