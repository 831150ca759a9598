// Dies before answering start, after writing a diagnostic to stderr.
process.stderr.write('driver: cannot load my dependencies\n');
process.exit(1);
