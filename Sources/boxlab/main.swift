print("boxlab")
