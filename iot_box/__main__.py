from iot_box.cli import main

raise SystemExit(main())
