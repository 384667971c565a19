"""Home-page tasks of the proposal, submission, review and 参评名单 steps."""
