"""The tracker's claims about countries and the region, made once and rendered by every surface."""
