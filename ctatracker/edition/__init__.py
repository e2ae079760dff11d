"""The public edition: the published data as plain static pages (findings, the existing chart builders, sources and
licences), written atomically to a folder any web server or CDN can serve (`python -m pipelines site`)."""
