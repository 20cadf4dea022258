from archivekit.cli import main

main()
