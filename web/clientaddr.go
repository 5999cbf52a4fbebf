package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// The client's address is the key of the per-client login throttle and
// what the request log shows. Behind a reverse proxy the direct peer is
// the proxy, so every user would share one address and one throttle: thirty
// failed logins by anyone would lock out everyone. The proxy writes the
// address it saw into X-Forwarded-For, but so can any client, so the header
// is believed only from the proxies the operator names (Config.
// TrustedProxies), and only as far as those proxies vouch for it.

// clientAddr is the caller's address as far as it can be trusted.
func (s *Server) clientAddr(r *http.Request) string {
	return clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
}

// clientAddress works out the client from the direct peer (host:port, as
// in http.Request.RemoteAddr) and the X-Forwarded-For header lines.
//
// Each proxy appends the address of its own peer to the header, so the
// header is read from the right: the last entry was written by the direct
// peer, the one before it by the proxy that entry names, and so on. The walk
// stops at the first address that is not a trusted proxy: that is the
// client, and everything further left was written by the client itself and
// may be forged. A malformed entry met on the way means some hop wrote
// something we cannot read, so nothing beyond it is believed and the peer
// stands. When every entry is a trusted proxy, the leftmost is the client:
// a trusted proxy vouched for it (a request from inside the proxies' own
// network).
func clientAddress(remote string, forwarded []string, trusted []netip.Prefix) string {
	peer, ok := parseHop(remote)
	if !ok {
		// Not an IP address (a Unix socket, a test's made-up peer): the
		// host part as it stands, as before proxies were considered.
		if host, _, err := net.SplitHostPort(remote); err == nil {
			return host
		}
		return remote
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	client := peer
	for i := len(forwarded) - 1; i >= 0; i-- {
		// Several header lines are one list in order (RFC 9110, 5.3).
		hops := strings.Split(forwarded[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := parseHop(strings.TrimSpace(hops[j]))
			if !ok {
				return peer.String()
			}
			if !isTrusted(a, trusted) {
				return a.String()
			}
			client = a
		}
	}
	return client.String()
}

// parseHop reads one address as proxies write them: 192.0.2.1,
// 192.0.2.1:4711, 2001:db8::1, [2001:db8::1]:4711 or [2001:db8::1]. An
// IPv4 address written as IPv6 (::ffff:192.0.2.1) is the IPv4 address, so
// one client has one throttle key whichever way its address reached us; a
// zone names a local interface, not a client, and is dropped.
func parseHop(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr == nil {
			a, err = ap.Addr(), nil
		} else if inner, ok := strings.CutPrefix(s, "["); ok && strings.HasSuffix(inner, "]") {
			a, err = netip.ParseAddr(strings.TrimSuffix(inner, "]"))
		}
	}
	if err != nil || !a.IsValid() {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// normalisePrefixes makes the configured proxies comparable with the
// addresses parseHop returns: IPv4 ranges written as IPv6
// (::ffff:10.0.0.0/104) become IPv4 ranges, host bits are cleared, and
// invalid prefixes (the zero value) are dropped rather than matching
// nothing in a way nobody notices.
func normalisePrefixes(in []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range in {
		if !p.IsValid() {
			continue
		}
		if a := p.Addr(); a.Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				// Wider than the IPv4-mapped block: keep it as IPv6, and
				// add what it covers of IPv4 as well.
				out = append(out, p.Masked())
				bits = 0
			}
			p = netip.PrefixFrom(a.Unmap(), bits)
		}
		out = append(out, p.Masked())
	}
	return out
}
