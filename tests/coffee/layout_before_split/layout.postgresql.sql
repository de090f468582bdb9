--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_entry (
    id integer NOT NULL,
    list_name character varying(8) NOT NULL,
    user_id bigint,
    username character varying(64),
    added_by bigint NOT NULL,
    created_at text NOT NULL
);


--
-- Name: access_entry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.access_entry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_entry_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.access_entry_id_seq OWNED BY public.access_entry.id;


--
-- Name: answer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.answer (
    id integer NOT NULL,
    user_id bigint NOT NULL,
    key character varying(64) NOT NULL,
    value jsonb,
    updated_at text NOT NULL
);


--
-- Name: answer_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.answer_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: answer_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.answer_id_seq OWNED BY public.answer.id;


--
-- Name: audit_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entry (
    id integer NOT NULL,
    actor bigint NOT NULL,
    action character varying(32) NOT NULL,
    target character varying(128) NOT NULL,
    old jsonb,
    new jsonb,
    created_at text NOT NULL
);


--
-- Name: audit_entry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_entry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_entry_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_entry_id_seq OWNED BY public.audit_entry.id;


--
-- Name: broadcast; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.broadcast (
    id integer NOT NULL,
    author bigint NOT NULL,
    text text NOT NULL,
    audience character varying(32) NOT NULL,
    status character varying(16) NOT NULL,
    total integer NOT NULL,
    created_at text NOT NULL,
    started_at text,
    finished_at text,
    photo character varying(256) NOT NULL,
    progress_message_id bigint,
    reported_at text
);


--
-- Name: broadcast_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.broadcast_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: broadcast_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.broadcast_id_seq OWNED BY public.broadcast.id;


--
-- Name: dialog_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dialog_state (
    user_id bigint NOT NULL,
    flow character varying(64),
    state character varying(128),
    context jsonb NOT NULL,
    updated_at text NOT NULL
);


--
-- Name: handled_update; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.handled_update (
    update_id bigint NOT NULL,
    handled_at text NOT NULL
);


--
-- Name: job_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job_run (
    id integer NOT NULL,
    round_id integer NOT NULL,
    job character varying(16) NOT NULL,
    started_at text NOT NULL,
    alive_at text NOT NULL,
    claimed_by character varying(128),
    finished_at text,
    summary text NOT NULL
);


--
-- Name: job_run_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.job_run_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_run_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.job_run_id_seq OWNED BY public.job_run.id;


--
-- Name: meeting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting (
    id integer NOT NULL,
    round_id integer NOT NULL,
    created_at text NOT NULL
);


--
-- Name: meeting_feedback; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_feedback (
    id integer NOT NULL,
    meeting_id integer NOT NULL,
    user_id bigint NOT NULL,
    happened boolean,
    rating integer,
    reason character varying(32),
    comment text NOT NULL,
    updated_at text NOT NULL
);


--
-- Name: meeting_feedback_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_feedback_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_feedback_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_feedback_id_seq OWNED BY public.meeting_feedback.id;


--
-- Name: meeting_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_id_seq OWNED BY public.meeting.id;


--
-- Name: meeting_member; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_member (
    id integer NOT NULL,
    meeting_id integer NOT NULL,
    user_id bigint NOT NULL,
    introduced_at text,
    feedback_asked_at text,
    left_at text,
    left_reason character varying(16)
);


--
-- Name: meeting_member_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_member_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_member_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_member_id_seq OWNED BY public.meeting_member.id;


--
-- Name: note_read; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.note_read (
    note_id integer NOT NULL,
    read_by bigint NOT NULL,
    read_at text NOT NULL
);


--
-- Name: organizer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizer (
    user_id bigint NOT NULL,
    appointed_by bigint NOT NULL,
    created_at text NOT NULL
);


--
-- Name: organizer_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizer_note (
    id integer NOT NULL,
    user_id bigint NOT NULL,
    text text NOT NULL,
    created_at text NOT NULL
);


--
-- Name: organizer_note_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.organizer_note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: organizer_note_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.organizer_note_id_seq OWNED BY public.organizer_note.id;


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id integer NOT NULL,
    key character varying(128) NOT NULL,
    user_id bigint NOT NULL,
    kind character varying(32) NOT NULL,
    payload jsonb NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    error text NOT NULL,
    created_at text NOT NULL,
    expires_at text,
    claimed_at text,
    claimed_by character varying(128),
    sent_at text
);


--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;


--
-- Name: panel_login_link; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.panel_login_link (
    id integer NOT NULL,
    nonce character varying(64) NOT NULL,
    user_id bigint NOT NULL,
    created_at text NOT NULL,
    used_at text
);


--
-- Name: panel_login_link_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.panel_login_link_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: panel_login_link_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.panel_login_link_id_seq OWNED BY public.panel_login_link.id;


--
-- Name: participation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.participation (
    id integer NOT NULL,
    round_id integer NOT NULL,
    user_id bigint NOT NULL,
    status character varying(8) NOT NULL,
    reason character varying(32),
    updated_at text NOT NULL
);


--
-- Name: participation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.participation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: participation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.participation_id_seq OWNED BY public.participation.id;


--
-- Name: received_update; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.received_update (
    update_id bigint NOT NULL,
    user_id bigint NOT NULL,
    payload jsonb NOT NULL,
    received_at text NOT NULL
);


--
-- Name: round; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.round (
    id integer NOT NULL,
    week date NOT NULL,
    status character varying(16) NOT NULL,
    missed character varying(64) NOT NULL,
    created_at text NOT NULL
);


--
-- Name: round_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.round_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: round_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.round_id_seq OWNED BY public.round.id;


--
-- Name: schema_migration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migration (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp without time zone NOT NULL
);


--
-- Name: schema_migration_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.schema_migration_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: schema_migration_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.schema_migration_id_seq OWNED BY public.schema_migration.id;


--
-- Name: setting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.setting (
    key character varying(64) NOT NULL,
    value jsonb
);


--
-- Name: user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."user" (
    id bigint NOT NULL,
    first_name character varying(256) NOT NULL,
    last_name character varying(256) NOT NULL,
    username character varying(64),
    language_code character varying(16),
    locale character varying(16) NOT NULL,
    phone character varying(32),
    registered boolean NOT NULL,
    enabled boolean NOT NULL,
    reachable boolean NOT NULL,
    comment text NOT NULL,
    created_at text NOT NULL
);


--
-- Name: access_entry id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_entry ALTER COLUMN id SET DEFAULT nextval('public.access_entry_id_seq'::regclass);


--
-- Name: answer id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.answer ALTER COLUMN id SET DEFAULT nextval('public.answer_id_seq'::regclass);


--
-- Name: audit_entry id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entry ALTER COLUMN id SET DEFAULT nextval('public.audit_entry_id_seq'::regclass);


--
-- Name: broadcast id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.broadcast ALTER COLUMN id SET DEFAULT nextval('public.broadcast_id_seq'::regclass);


--
-- Name: job_run id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_run ALTER COLUMN id SET DEFAULT nextval('public.job_run_id_seq'::regclass);


--
-- Name: meeting id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting ALTER COLUMN id SET DEFAULT nextval('public.meeting_id_seq'::regclass);


--
-- Name: meeting_feedback id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_feedback ALTER COLUMN id SET DEFAULT nextval('public.meeting_feedback_id_seq'::regclass);


--
-- Name: meeting_member id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_member ALTER COLUMN id SET DEFAULT nextval('public.meeting_member_id_seq'::regclass);


--
-- Name: organizer_note id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizer_note ALTER COLUMN id SET DEFAULT nextval('public.organizer_note_id_seq'::regclass);


--
-- Name: outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);


--
-- Name: panel_login_link id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.panel_login_link ALTER COLUMN id SET DEFAULT nextval('public.panel_login_link_id_seq'::regclass);


--
-- Name: participation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participation ALTER COLUMN id SET DEFAULT nextval('public.participation_id_seq'::regclass);


--
-- Name: round id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round ALTER COLUMN id SET DEFAULT nextval('public.round_id_seq'::regclass);


--
-- Name: schema_migration id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migration ALTER COLUMN id SET DEFAULT nextval('public.schema_migration_id_seq'::regclass);


--
-- Data for Name: access_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.access_entry VALUES (1, 'allow', NULL, 'stepan_new', 999, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: answer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.answer VALUES (1, 1001, 'frequency', '"weekly"', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (2, 1001, 'topics', '["books", "it"]', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (3, 1002, 'frequency', '"weekly"', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (4, 1002, 'topics', '["books", "it"]', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (5, 1003, 'frequency', '"weekly"', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (6, 1003, 'topics', '["books", "it"]', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (7, 1004, 'frequency', '"weekly"', '2026-11-26T09:00:00+00:00');
INSERT INTO public.answer VALUES (8, 1004, 'topics', '["books", "it"]', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: audit_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_entry VALUES (1, 999, 'appoint', '1002', NULL, 'true', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: broadcast; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.broadcast VALUES (1, 999, '<b>Новини</b>', 'all', 'done', 4, '2026-11-26T09:00:00+00:00', NULL, NULL, '', NULL, NULL);


--
-- Data for Name: dialog_state; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.dialog_state VALUES (1001, 'start', 'ProfileState', '{"values": {"week": "2026-11-30"}, "keyboard": 1}', '2026-12-06T16:04:48.239404+00:00');
INSERT INTO public.dialog_state VALUES (1002, 'start', 'ProfileState', '{"values": {"week": "2026-11-30"}, "keyboard": 2}', '2026-12-06T16:04:48.268785+00:00');
INSERT INTO public.dialog_state VALUES (1003, 'start', 'ProfileState', '{"values": {"week": "2026-11-30"}, "keyboard": 3}', '2026-12-06T16:04:48.292383+00:00');
INSERT INTO public.dialog_state VALUES (1004, 'start', 'ProfileState', '{"values": {"week": "2026-11-30"}, "keyboard": 4}', '2026-12-06T16:04:48.304977+00:00');


--
-- Data for Name: handled_update; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.handled_update VALUES (500, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: job_run; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.job_run VALUES (1, 1, 'invite', '2026-11-26T09:00:00+00:00', '2026-11-26T09:00:00+00:00', NULL, '2026-11-26T09:00:00+00:00', 'invite 2026-11-30: invited 4');


--
-- Data for Name: meeting; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meeting VALUES (1, 1, '2026-11-26T09:00:00+00:00');
INSERT INTO public.meeting VALUES (2, 1, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: meeting_feedback; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meeting_feedback VALUES (1, 1, 1001, true, 5, NULL, 'чудово', '2026-11-26T09:00:00+00:00');
INSERT INTO public.meeting_feedback VALUES (2, 2, 1003, true, 5, NULL, 'чудово', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: meeting_member; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meeting_member VALUES (1, 1, 1001, '2026-11-26T09:00:00+00:00', NULL, NULL, NULL);
INSERT INTO public.meeting_member VALUES (2, 1, 1002, '2026-11-26T09:00:00+00:00', NULL, NULL, NULL);
INSERT INTO public.meeting_member VALUES (3, 2, 1003, '2026-11-26T09:00:00+00:00', NULL, NULL, NULL);
INSERT INTO public.meeting_member VALUES (4, 2, 1004, '2026-11-26T09:00:00+00:00', NULL, NULL, NULL);


--
-- Data for Name: note_read; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.note_read VALUES (1, 999, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: organizer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.organizer VALUES (1002, 999, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: organizer_note; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.organizer_note VALUES (1, 1001, 'Дякую!', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox VALUES (1, 'invite:2026-11-30:1001:0', 1001, 'invite', '{"text": "Привіт"}', 'sent', 0, '', '2026-11-26T09:00:00+00:00', NULL, NULL, NULL, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: panel_login_link; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.panel_login_link VALUES (1, 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn', 999, '2026-11-26T09:00:00+00:00', NULL);


--
-- Data for Name: participation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.participation VALUES (1, 1, 1001, 'yes', NULL, '2026-11-26T09:00:00+00:00');
INSERT INTO public.participation VALUES (2, 1, 1002, 'yes', NULL, '2026-11-26T09:00:00+00:00');
INSERT INTO public.participation VALUES (3, 1, 1003, 'yes', NULL, '2026-11-26T09:00:00+00:00');
INSERT INTO public.participation VALUES (4, 1, 1004, 'yes', NULL, '2026-11-26T09:00:00+00:00');


--
-- Data for Name: received_update; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.received_update VALUES (501, 1001, '{"update_id": 501}', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: round; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.round VALUES (1, '2026-11-30', 'matched', '', '2026-11-26T09:00:00+00:00');


--
-- Data for Name: schema_migration; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migration VALUES (1, '0002_delivery_guarantees', '2026-12-06 16:04:48.220023');
INSERT INTO public.schema_migration VALUES (2, '0002_panel_login_links', '2026-12-06 16:04:48.221935');
INSERT INTO public.schema_migration VALUES (3, '0003_organizer_tools', '2026-12-06 16:04:48.224082');
INSERT INTO public.schema_migration VALUES (4, '0004_broadcast_photo_and_progress', '2026-12-06 16:04:48.228816');
INSERT INTO public.schema_migration VALUES (5, '0004_received_updates', '2026-12-06 16:04:48.233824');


--
-- Data for Name: setting; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.setting VALUES ('community_name', '"Кавовий клуб"');


--
-- Data for Name: user; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."user" VALUES (1001, 'Олена1', 'Б', 'user1', NULL, 'uk', NULL, true, true, true, 'коментар', '2026-11-26T09:00:00+00:00');
INSERT INTO public."user" VALUES (1002, 'Олена2', 'Б', 'user2', NULL, 'uk', NULL, true, true, true, '', '2026-11-26T09:00:00+00:00');
INSERT INTO public."user" VALUES (1003, 'Олена3', 'Б', 'user3', NULL, 'uk', NULL, true, true, true, '', '2026-11-26T09:00:00+00:00');
INSERT INTO public."user" VALUES (1004, 'Олена4', 'Б', 'user4', NULL, 'uk', NULL, true, true, true, '', '2026-11-26T09:00:00+00:00');


--
-- Name: access_entry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.access_entry_id_seq', 1, true);


--
-- Name: answer_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.answer_id_seq', 8, true);


--
-- Name: audit_entry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_entry_id_seq', 1, true);


--
-- Name: broadcast_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.broadcast_id_seq', 1, true);


--
-- Name: job_run_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.job_run_id_seq', 1, true);


--
-- Name: meeting_feedback_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_feedback_id_seq', 2, true);


--
-- Name: meeting_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_id_seq', 2, true);


--
-- Name: meeting_member_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_member_id_seq', 4, true);


--
-- Name: organizer_note_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.organizer_note_id_seq', 1, true);


--
-- Name: outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_id_seq', 1, true);


--
-- Name: panel_login_link_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.panel_login_link_id_seq', 1, true);


--
-- Name: participation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.participation_id_seq', 4, true);


--
-- Name: round_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.round_id_seq', 1, true);


--
-- Name: schema_migration_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.schema_migration_id_seq', 5, true);


--
-- Name: access_entry access_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_entry
    ADD CONSTRAINT access_entry_pkey PRIMARY KEY (id);


--
-- Name: answer answer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.answer
    ADD CONSTRAINT answer_pkey PRIMARY KEY (id);


--
-- Name: audit_entry audit_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entry
    ADD CONSTRAINT audit_entry_pkey PRIMARY KEY (id);


--
-- Name: broadcast broadcast_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.broadcast
    ADD CONSTRAINT broadcast_pkey PRIMARY KEY (id);


--
-- Name: dialog_state dialog_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dialog_state
    ADD CONSTRAINT dialog_state_pkey PRIMARY KEY (user_id);


--
-- Name: handled_update handled_update_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handled_update
    ADD CONSTRAINT handled_update_pkey PRIMARY KEY (update_id);


--
-- Name: job_run job_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_run
    ADD CONSTRAINT job_run_pkey PRIMARY KEY (id);


--
-- Name: meeting_feedback meeting_feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_feedback
    ADD CONSTRAINT meeting_feedback_pkey PRIMARY KEY (id);


--
-- Name: meeting_member meeting_member_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_member
    ADD CONSTRAINT meeting_member_pkey PRIMARY KEY (id);


--
-- Name: meeting meeting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_pkey PRIMARY KEY (id);


--
-- Name: note_read note_read_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.note_read
    ADD CONSTRAINT note_read_pkey PRIMARY KEY (note_id);


--
-- Name: organizer_note organizer_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizer_note
    ADD CONSTRAINT organizer_note_pkey PRIMARY KEY (id);


--
-- Name: organizer organizer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizer
    ADD CONSTRAINT organizer_pkey PRIMARY KEY (user_id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: panel_login_link panel_login_link_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.panel_login_link
    ADD CONSTRAINT panel_login_link_pkey PRIMARY KEY (id);


--
-- Name: participation participation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participation
    ADD CONSTRAINT participation_pkey PRIMARY KEY (id);


--
-- Name: received_update received_update_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.received_update
    ADD CONSTRAINT received_update_pkey PRIMARY KEY (update_id);


--
-- Name: round round_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round
    ADD CONSTRAINT round_pkey PRIMARY KEY (id);


--
-- Name: schema_migration schema_migration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migration
    ADD CONSTRAINT schema_migration_pkey PRIMARY KEY (id);


--
-- Name: setting setting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.setting
    ADD CONSTRAINT setting_pkey PRIMARY KEY (key);


--
-- Name: user user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."user"
    ADD CONSTRAINT user_pkey PRIMARY KEY (id);


--
-- Name: access_entry_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX access_entry_user_id ON public.access_entry USING btree (user_id);


--
-- Name: access_entry_username; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX access_entry_username ON public.access_entry USING btree (username);


--
-- Name: answer_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX answer_user_id ON public.answer USING btree (user_id);


--
-- Name: answer_user_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX answer_user_id_key ON public.answer USING btree (user_id, key);


--
-- Name: audit_entry_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entry_created_at ON public.audit_entry USING btree (created_at);


--
-- Name: handled_update_handled_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX handled_update_handled_at ON public.handled_update USING btree (handled_at);


--
-- Name: job_run_round_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX job_run_round_id ON public.job_run USING btree (round_id);


--
-- Name: job_run_round_id_job; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX job_run_round_id_job ON public.job_run USING btree (round_id, job);


--
-- Name: meeting_feedback_meeting_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meeting_feedback_meeting_id ON public.meeting_feedback USING btree (meeting_id);


--
-- Name: meeting_feedback_meeting_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX meeting_feedback_meeting_id_user_id ON public.meeting_feedback USING btree (meeting_id, user_id);


--
-- Name: meeting_feedback_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meeting_feedback_user_id ON public.meeting_feedback USING btree (user_id);


--
-- Name: meeting_member_meeting_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meeting_member_meeting_id ON public.meeting_member USING btree (meeting_id);


--
-- Name: meeting_member_meeting_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX meeting_member_meeting_id_user_id ON public.meeting_member USING btree (meeting_id, user_id);


--
-- Name: meeting_member_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meeting_member_user_id ON public.meeting_member USING btree (user_id);


--
-- Name: meeting_round_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meeting_round_id ON public.meeting USING btree (round_id);


--
-- Name: organizer_note_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organizer_note_user_id ON public.organizer_note USING btree (user_id);


--
-- Name: outbox_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX outbox_key ON public.outbox USING btree (key);


--
-- Name: outbox_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_status ON public.outbox USING btree (status);


--
-- Name: outbox_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_user_id ON public.outbox USING btree (user_id);


--
-- Name: panel_login_link_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX panel_login_link_created_at ON public.panel_login_link USING btree (created_at);


--
-- Name: panel_login_link_nonce; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX panel_login_link_nonce ON public.panel_login_link USING btree (nonce);


--
-- Name: participation_round_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX participation_round_id ON public.participation USING btree (round_id);


--
-- Name: participation_round_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX participation_round_id_user_id ON public.participation USING btree (round_id, user_id);


--
-- Name: participation_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX participation_user_id ON public.participation USING btree (user_id);


--
-- Name: received_update_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX received_update_user_id ON public.received_update USING btree (user_id);


--
-- Name: round_week; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX round_week ON public.round USING btree (week);


--
-- Name: schema_migration_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX schema_migration_name ON public.schema_migration USING btree (name);


--
-- Name: answer answer_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.answer
    ADD CONSTRAINT answer_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: dialog_state dialog_state_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dialog_state
    ADD CONSTRAINT dialog_state_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: job_run job_run_round_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_run
    ADD CONSTRAINT job_run_round_id_fkey FOREIGN KEY (round_id) REFERENCES public.round(id) ON DELETE CASCADE;


--
-- Name: meeting_feedback meeting_feedback_meeting_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_feedback
    ADD CONSTRAINT meeting_feedback_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;


--
-- Name: meeting_feedback meeting_feedback_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_feedback
    ADD CONSTRAINT meeting_feedback_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: meeting_member meeting_member_meeting_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_member
    ADD CONSTRAINT meeting_member_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;


--
-- Name: meeting_member meeting_member_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_member
    ADD CONSTRAINT meeting_member_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: meeting meeting_round_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_round_id_fkey FOREIGN KEY (round_id) REFERENCES public.round(id) ON DELETE CASCADE;


--
-- Name: note_read note_read_note_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.note_read
    ADD CONSTRAINT note_read_note_id_fkey FOREIGN KEY (note_id) REFERENCES public.organizer_note(id) ON DELETE CASCADE;


--
-- Name: organizer_note organizer_note_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizer_note
    ADD CONSTRAINT organizer_note_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: outbox outbox_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: participation participation_round_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participation
    ADD CONSTRAINT participation_round_id_fkey FOREIGN KEY (round_id) REFERENCES public.round(id) ON DELETE CASCADE;


--
-- Name: participation participation_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participation
    ADD CONSTRAINT participation_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


