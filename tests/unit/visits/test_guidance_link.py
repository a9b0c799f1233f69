"""A follow-up's guidance link: a path on this site or an https:// address, nothing else."""

import pytest

from compliance.followups.forms import is_guidance_link


@pytest.mark.parametrize("link", ["/training/modules/the-law", "https://www.gov.uk/guidance",
                                  "https://example.org/a?b=c#d"])
def test_site_paths_and_https_addresses_are_accepted(link):
    assert is_guidance_link(link)


@pytest.mark.parametrize("link", [
    "//evil.example/phish", "/\\evil.example", "/\\/evil.example", "http://example.org",
    "javascript:alert(1)", "https:evil.example", "https:///evil.example", "https://",
    "https://user:pw@evil.example", "https://[::1", "/a b", "/a\tb", "data:text/html,x",
    "evil.example/phish",
])
def test_protocol_relative_and_other_addresses_are_refused(link):
    assert not is_guidance_link(link)
