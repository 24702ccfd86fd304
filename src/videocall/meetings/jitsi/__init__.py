"""Everything Jitsi-specific: room names, token signing, webhook signatures and event normalisation."""
