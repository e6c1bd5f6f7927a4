from minilat.cli import main

main()
