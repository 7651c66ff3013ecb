"""The reviewer workspace: a store of many agencies' reports, their checks and reviewers' triage."""
