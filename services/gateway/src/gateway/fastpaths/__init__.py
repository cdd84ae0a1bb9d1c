"""fastpaths"""
