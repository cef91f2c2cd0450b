module ds-inspect.local/bench/floor

go 1.22
