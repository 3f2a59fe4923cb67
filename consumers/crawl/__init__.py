"""Discovery (the `crawl` consumer group): web search and scraping through a pool of Firecrawl MCP servers."""
