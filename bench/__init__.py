"""The benchmark (`make bench`) and the load test (`make loadtest`)."""
