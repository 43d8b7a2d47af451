"""Reports: the same audit result as console text, JSON, JUnit XML, Markdown and HTML."""
