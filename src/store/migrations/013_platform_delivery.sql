-- Replies owed to a customer on Slack, Discord or Telegram. A reply is stored 'pending' in
-- the commit that stores it, and cleared once its platform took it, so a crash or a platform
-- outage between the two leaves it to be sent again (at startup, and by the engine's sweep)
-- rather than lost. 'failed': the platform refused it for good (blocked, chat gone). Web
-- chat replies are delivered by being stored, and never pending.
ALTER TABLE messages ADD COLUMN delivery TEXT;
CREATE INDEX messages_delivery ON messages (id) WHERE delivery = 'pending';
