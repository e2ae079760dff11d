"""Words for people: records named in plain words (`naming`), validation errors in plain words (`validation`),
and word-level differences for reviewers (`diff`)."""
