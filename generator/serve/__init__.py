"""``gen-directive serve``: a local web editor for clerks — a form built from the spec schema, the YAML in
view, a live preview of the real pages and the ``check`` findings beside it.

* :mod:`.specdata` — the form's values ↔ YAML text (the YAML stays the source of truth: the preview, the
  downloads and the messages all come from the saved YAML file, through the CLI's own entry points);
* :mod:`.session` — the work folder, one sub-folder per browser session and per revision;
* :mod:`.worker` — the preview worker: .docx → PDF (LibreOffice) → PNG (pdftoppm), off the request threads;
* :mod:`.server` — the HTTP server (standard library), bound to 127.0.0.1, with the Host/Origin and token
  checks;
* :mod:`.ui` — every text the page shows, as catalog messages (Vietnamese by default).
"""
