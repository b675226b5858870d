"""Campaigns: an organization sends its people a test by code and follows the results (issue 9).

A target profile names the tubes a campaign asks, each up to a capped level, with its stages,
badges and the trainings it recommends. A campaign is of one of two kinds: an *assessment* (a
test over the profile, sat through the evaluation machinery with the campaign policy) or a
*profiles collection* (the learner shares their whole profile). A participation becomes
visible to the organization only when the learner sends it, and never changes afterwards.
"""
