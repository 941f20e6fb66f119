"""`python -m chapter_app`: same as the `chapter-app` command."""

from chapter_app.cli import main

raise SystemExit(main())
