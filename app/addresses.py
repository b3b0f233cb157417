"""Network addresses as logs show them: the network, not the host (IPv4 to its /24, IPv6 to its /48).
One rule for the share-access log, the audit log and a person's own sign-in history."""

from __future__ import annotations

import ipaddress


def anonymise_address(address: str | None) -> str:
    """Keep the network, drop the host: 203.0.113.57 → 203.0.113.0, 2001:db8:1234:5::1 → 2001:db8:1234::.
    Anything that is not an address gives ""."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:203.0.113.57 is an IPv4 client
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def network_label(address: str | None) -> str:
    """For display: "203.0.113.0/24", "2001:db8:1234::/48", or "" when there is no address."""
    network = anonymise_address(address)
    if not network:
        return ""
    return f"{network}/{24 if '.' in network else 48}"
