from ilrkit.converter.cli import main

main()
