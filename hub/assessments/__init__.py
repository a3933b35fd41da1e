"""Key-account opening assessments: customer value quadrants and the opening position (issue 9)."""
