package sqlstore

import "testing"

func TestPostgresDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h/db":                     "postgres://u@h/db?jit=off",
		"postgres://u@h/db?sslmode=disable":     "postgres://u@h/db?sslmode=disable&jit=off",
		"postgres://u@h/db?jit=on":              "postgres://u@h/db?jit=on", // the operator's choice stands
		"postgresql://u@h/db?search_path=x&a=b": "postgresql://u@h/db?search_path=x&a=b&jit=off",
	} {
		if got := postgresDSN(in); got != want {
			t.Errorf("postgresDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
