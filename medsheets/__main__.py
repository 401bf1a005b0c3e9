from medsheets.cli import main

main()
