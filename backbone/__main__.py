from backbone.cli import main

raise SystemExit(main())
