from saferhub.cli import main

main()
