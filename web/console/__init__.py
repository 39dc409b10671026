"""The Keel console at ``/app``: server-rendered pages for the people inside the processes."""
