package main

import (
	"fmt"
	"net/netip"
	"strings"
)

// prefixList is the value of --trusted-proxy: comma-separated CIDRs
// (10.0.0.0/8, 2001:db8::/32) or single addresses (192.0.2.1, a /32 or
// /128). Given more than once, the lists add up.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(*l))
	for i, p := range *l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (l *prefixList) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := parseProxy(part)
		if err != nil {
			return err
		}
		*l = append(*l, p)
	}
	return nil
}

func parseProxy(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or 2001:db8::/32", s)
		}
		// 10.1.2.3/8 means 10.0.0.0/8; saying so keeps the help and the log honest.
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or a CIDR", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
