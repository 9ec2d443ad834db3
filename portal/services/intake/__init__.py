"""What arrives from the public: submissions, drafts, references, people, status links."""
