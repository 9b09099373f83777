from .cli import console

if __name__ == "__main__":  # not when a "spawn" worker of a batch imports the main module
    console()
