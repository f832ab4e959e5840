from ilrkit.cli.main import main

main()
