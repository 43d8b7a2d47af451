"""Rule language: grammar, AST nodes, the rule graph, packs and the compiled-rules cache."""
