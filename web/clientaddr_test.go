package web

import (
	"net/netip"
	"testing"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return normalisePrefixes(out)
}

// The shapes a client uses to pass itself off as someone else, and the
// shapes real proxy chains produce.
func TestClientAddress(t *testing.T) {
	proxies := prefixes(t, "10.0.0.0/8", "192.0.2.10/32", "2001:db8:ffff::/48")
	for _, c := range []struct {
		name      string
		remote    string
		forwarded []string
		trusted   []netip.Prefix
		want      string
	}{
		// Without trusted proxies the header means nothing.
		{"no proxies, no header", "203.0.113.7:50000", nil, nil, "203.0.113.7"},
		{"no proxies, forged header", "203.0.113.7:50000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"no proxies, IPv6 peer", "[2001:db8::7]:50000", []string{"198.51.100.1"}, nil, "2001:db8::7"},
		// A client that reaches the server directly, past the proxy.
		{"forged header from an untrusted peer", "203.0.113.7:50000", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"forged trusted address from an untrusted peer", "203.0.113.7:50000", []string{"10.0.0.1"}, proxies, "203.0.113.7"},
		// One proxy.
		{"one proxy", "10.0.0.1:443", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"one proxy, spaces", "10.0.0.1:443", []string{"  198.51.100.1  "}, proxies, "198.51.100.1"},
		{"single trusted address", "192.0.2.10:443", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"neighbour of a single trusted address", "192.0.2.11:443", []string{"198.51.100.1"}, proxies, "192.0.2.11"},
		{"proxy without header", "10.0.0.1:443", nil, proxies, "10.0.0.1"},
		// The client writes its own header; the proxy appends the real peer.
		{"forged entry left of the real one", "10.0.0.1:443", []string{"1.1.1.1, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"forged trusted entry left of the real one", "10.0.0.1:443", []string{"10.9.9.9, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"forged header line before the proxy's", "10.0.0.1:443", []string{"1.1.1.1", "198.51.100.1"}, proxies, "198.51.100.1"},
		// Several hops: skip the trusted ones from the right.
		{"two proxies", "10.0.0.1:443", []string{"198.51.100.1, 10.0.0.2"}, proxies, "198.51.100.1"},
		{"three proxies over two lines", "10.0.0.1:443", []string{"1.1.1.1, 198.51.100.1", "10.0.0.3, 10.0.0.2"}, proxies, "198.51.100.1"},
		{"untrusted hop in the middle", "10.0.0.1:443", []string{"198.51.100.1, 203.0.113.9, 10.0.0.2"}, proxies, "203.0.113.9"},
		{"every hop trusted", "10.0.0.1:443", []string{"10.1.2.3, 10.0.0.2"}, proxies, "10.1.2.3"},
		// IPv6 and ports, as proxies write them.
		{"IPv6 proxy, IPv6 client", "[2001:db8:ffff::1]:443", []string{"2001:db8:1::5"}, proxies, "2001:db8:1::5"},
		{"IPv6 client in brackets with a port", "10.0.0.1:443", []string{"[2001:db8:1::5]:61000"}, proxies, "2001:db8:1::5"},
		{"IPv6 client in brackets", "10.0.0.1:443", []string{"[2001:db8:1::5]"}, proxies, "2001:db8:1::5"},
		{"IPv6 client not canonical", "10.0.0.1:443", []string{"2001:DB8:1:0:0:0:0:5"}, proxies, "2001:db8:1::5"},
		{"IPv4 client with a port", "10.0.0.1:443", []string{"198.51.100.1:61000"}, proxies, "198.51.100.1"},
		{"IPv4-mapped client", "10.0.0.1:443", []string{"::ffff:198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped proxy", "[::ffff:10.0.0.1]:443", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped trusted hop", "10.0.0.1:443", []string{"198.51.100.1, ::ffff:10.0.0.2"}, proxies, "198.51.100.1"},
		{"zone dropped", "10.0.0.1:443", []string{"fe80::1%eth0"}, proxies, "fe80::1"},
		// Anything unreadable on the way: the peer stands.
		{"garbage", "10.0.0.1:443", []string{"not an address"}, proxies, "10.0.0.1"},
		{"unknown", "10.0.0.1:443", []string{"unknown"}, proxies, "10.0.0.1"},
		{"empty header", "10.0.0.1:443", []string{""}, proxies, "10.0.0.1"},
		{"empty entry", "10.0.0.1:443", []string{"198.51.100.1, "}, proxies, "10.0.0.1"},
		{"garbage behind a trusted hop", "10.0.0.1:443", []string{"198.51.100.1, garbage, 10.0.0.2"}, proxies, "10.0.0.1"},
		{"garbage left of the client is never read", "10.0.0.1:443", []string{"garbage, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"host name", "10.0.0.1:443", []string{"client.example.org"}, proxies, "10.0.0.1"},
		{"leading zeros", "10.0.0.1:443", []string{"010.0.0.1"}, proxies, "10.0.0.1"},
		{"port alone", "10.0.0.1:443", []string{":8080"}, proxies, "10.0.0.1"},
		{"RFC 7239 syntax", "10.0.0.1:443", []string{"for=198.51.100.1"}, proxies, "10.0.0.1"},
		// Peers that are not IP addresses keep their old meaning.
		{"peer without a port", "10.0.0.1", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"unix socket peer", "@", []string{"198.51.100.1"}, proxies, "@"},
		{"named peer", "pipe:1", []string{"198.51.100.1"}, proxies, "pipe"},
	} {
		if got := clientAddress(c.remote, c.forwarded, c.trusted); got != c.want {
			t.Errorf("%s: clientAddress(%q, %q) = %q, want %q", c.name, c.remote, c.forwarded, got, c.want)
		}
	}
}

func TestNormalisePrefixes(t *testing.T) {
	got := normalisePrefixes([]netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/8"),
		netip.MustParsePrefix("::ffff:172.16.0.0/108"),
		{},
		netip.MustParsePrefix("2001:db8::1/32"),
	})
	want := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("2001:db8::/32"),
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %v, want %v", i, got[i], want[i])
		}
	}
}
