"""Daily reminder emails, each sent once per recipient and cause and recorded in
`reminders_sent`. Entry point: `services.send_reminders`; command `flask reminders send`."""
