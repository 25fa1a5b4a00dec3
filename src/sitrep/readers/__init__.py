"""Readers: turn paths, directories and standard input into `InputDocument`s."""
