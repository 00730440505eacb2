print("morph")
