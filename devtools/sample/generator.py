"""A deterministic generator of realistic Hugging Face Daily Papers API responses.

``generate_listing(listing_date, seed)`` returns exactly the JSON array that
``GET /api/daily_papers?date=YYYY-MM-DD`` would return for that date, un-paged. It depends on
``(seed, listing_date)`` alone: a date's list is the same whichever other dates are generated,
in whatever order, in whatever process. It is fast enough to serve 2023-05-04..2025-10-19 on the
fly (about 900 dates in a couple of seconds).

What it models, from archived real responses (2024-03 to 2026-08):

* **Volume.** Weekends and a few fixed holidays are empty lists (a valid, empty partition).
  Weekday counts grow from about 8-15 (2023) to 10-25 (2024) and 15-45 (2025 on); a few
  percent of days exceed 50 and a handful exceed 100, so paging past 50 and 100 happens.
* **Schema drift.** Keys appear in the eras the real feed shows (see the ``*_FROM`` dates
  below); optional fields are absent, never ``null``; key order is the API's.
* **Two clocks.** Until 2025-02 the top-level ``publishedAt`` is when the paper was put on the
  list (it can fall on the evening before the listing date). From 2025-03 the API sends the
  arXiv time shifted by the US Eastern offset but still suffixed ``Z`` (a real quirk), and the
  listing time moves to ``paper.submittedOnDailyAt``. ``paper.publishedAt`` is the arXiv time,
  0-14 days before the listing date. In some weeks a list carries papers submitted a few days
  earlier (a backlog).
* **Messiness, at low realistic rates.** The same arXiv id twice in one list; a paper listed
  again on a later date (same id, title and authors, other upvotes); hidden authors; about 15%
  of authors linked to a Hugging Face user; accented, non-Latin and oddly spaced names; arXiv
  line wraps in titles and abstracts; edited top-level titles; ``githubRepo`` values with a
  trailing slash, ``.git``, a deeper path, ``http://www.``, only an owner, a non-GitHub host,
  an embedded newline or space, a query or fragment; free-form ``projectPage`` values.
* **Content** spread over current ML topics (reasoning, agents, RL, image and video
  generation, 3D, multimodal, speech, robotics, efficiency, scaling, data, safety, retrieval,
  code, science, medicine) plus a few miscellaneous papers, built from templates: every title,
  abstract, name and link is invented.

Regenerate the bundled sample (``devtools/sample/daily_papers/``, 2025-11-24..2025-12-07,
seed 0) from the repository root with::

    .venv/bin/python -c "from devtools.sample.generator import write_bundled_sample as w; w()"

``tests/test_generator.py`` fails if the bundled files drift from what the generator writes.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "FEED_START",
    "SAMPLE_DIR",
    "SAMPLE_END",
    "SAMPLE_START",
    "generate_listing",
    "listing_json",
    "write_bundled_sample",
    "write_sample",
]

# The bundled sample: two weeks, ten weekdays with files, seed 0.
SAMPLE_START = date(2025, 11, 24)
SAMPLE_END = date(2025, 12, 7)
SAMPLE_DIR = Path(__file__).resolve().parent / "daily_papers"

# The first date the feed has a list for; earlier dates are empty.
FEED_START = date(2023, 5, 4)
# (month, day) with no list in any year.
HOLIDAYS = frozenset({(12, 25), (1, 1)})

# First listing date of each schema era.
THUMBNAIL_FROM = date(2024, 6, 1)  # `thumbnail` (+ optional `mediaUrls`) replace `mediaUrl`
SUBMITTED_BY_FROM = date(2024, 6, 1)  # top-level `submittedBy`
DISCUSSION_ID_FROM = date(2024, 8, 1)  # `paper.discussionId`; linked users gain `id`
USER_OBJECT_ID_FROM = date(2024, 11, 1)  # linked users' `id` renamed `_id`
FOLLOWER_COUNT_FROM = date(2024, 10, 1)  # `submittedBy.followerCount` (only when > 0)
DAILY_SUBMISSION_FROM = date(2025, 3, 1)  # submittedOnDailyAt/By, githubRepo, projectPage,
# ai_keywords, top-level `summary`, isAuthorParticipating, paper.mediaUrls, shifted publishedAt
AI_SUMMARY_FROM = date(2025, 5, 1)
GITHUB_STARS_FROM = date(2025, 6, 1)  # also `submittedBy.isHfAdmin`
ORGANIZATION_FROM = date(2025, 10, 1)  # top level and in `paper`, when the paper has one
UNWRAPPED_FROM = date(2025, 11, 1)  # arXiv line wraps become rare
GITHUB_ADDED_BY_FROM = date(2025, 12, 1)
USER_FOLLOWING_FROM = date(2026, 3, 1)  # `submittedBy.isUserFollowing`
AI_SUMMARY_MODEL_FROM = date(2026, 6, 1)  # also `name` in user objects, midnight timestamps

AI_SUMMARY_MODELS = (
    (date(2026, 8, 1), "thinkingmachines/Inkling-Small"),
    (AI_SUMMARY_MODEL_FROM, "Qwen/Qwen2.5-Coder-32B-Instruct"),
)

THUMBNAIL_URL = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{}.png"
UPLOADS_URL = "https://cdn-uploads.huggingface.co/production/uploads/{}/{}.{}"
AVATAR_UPLOAD_URL = "https://cdn-avatars.huggingface.co/v1/production/uploads/{}/{}.{}"

# --------------------------------------------------------------------------------------------
# Vocabulary. Every topic has sentence openers, gaps, goals, components, benchmarks and
# keywords of its own, so a topic classifier has something to find.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    name: str
    context: tuple[str, ...]  # opening sentences, without the full stop
    gap: tuple[str, ...]  # clauses after "However,"
    goal: tuple[str, ...]  # verb phrases after "designed to"
    noun: tuple[str, ...]  # what the contribution is
    task: tuple[str, ...]  # short task phrases ("for X" in titles)
    part: tuple[str, ...]  # components, as mass nouns or plurals
    items: tuple[str, ...]  # what a dataset holds
    bench: tuple[str, ...]
    metric: tuple[str, ...]
    baseline: tuple[str, ...]
    keywords: tuple[str, ...]
    stems: tuple[str, ...]  # fragments for invented acronyms


def _items(text: str) -> tuple[str, ...]:
    """Items separated by semicolons, with line breaks and runs of spaces collapsed."""
    return tuple(" ".join(item.split()) for item in text.split(";") if item.strip())


def _topic(name: str, **fields: str) -> Topic:
    return Topic(name, **{key: _items(value) for key, value in fields.items()})


TOPICS: dict[str, Topic] = {
    "llm_reasoning": _topic(
        "llm_reasoning",
        context="""
            Large language models have shown remarkable progress on complex reasoning tasks when
            allowed to generate long chains of thought;
            Test-time scaling has emerged as a powerful way to improve the reasoning ability of
            large language models;
            Reasoning models trained with verifiable rewards now solve competition-level
            problems, but their chains of thought are often long and redundant
        """,
        gap="""
            long reasoning traces frequently contain redundant self-verification steps that
            waste tokens without improving accuracy;
            existing methods treat every intermediate step equally and ignore which steps
            actually matter for the final answer;
            current approaches rely on costly human-annotated rationales that do not scale;
            reasoning models tend to overthink easy questions and underthink hard ones
        """,
        goal="""
            improve multi-step reasoning in small language models;
            adapt the reasoning budget to the difficulty of each question;
            compress chain-of-thought traces without hurting accuracy;
            teach language models when to stop thinking
        """,
        noun="reasoning framework; training recipe; test-time scaling method",
        task="""
            efficient reasoning in LLMs; long chain-of-thought reasoning; adaptive test-time
            compute; multi-step logical reasoning; overthinking in reasoning models
        """,
        part="""
            step-level process rewards; adaptive thinking budgets; self-consistency voting;
            latent reasoning tokens; difficulty-aware length penalties; reflective
            self-correction; tree-structured search over thoughts
        """,
        items="verified reasoning traces; question-rationale pairs; chain-of-thought samples",
        bench="MATH-500; GSM8K; AIME 2024; GPQA-Diamond; BBH; LogiQA",
        metric="accuracy; pass@1; token efficiency",
        baseline="vanilla chain-of-thought prompting; best-of-N sampling; strong baselines",
        keywords="""
            large language models; LLMs; chain-of-thought; CoT reasoning; test-time scaling;
            reasoning models; overthinking; process reward model; self-consistency; long
            chain-of-thought; reasoning efficiency; latent reasoning; token budget; multi-step
            reasoning; self-reflection; inference-time compute; tree search; verifier; reasoning
            traces
        """,
        stems="Reason; Think; Logic; Chain; Step; Thought; Deliber; Mind",
    ),
    "agents": _topic(
        "agents",
        context="""
            LLM-based agents are increasingly deployed to complete long-horizon tasks in web
            browsers, operating systems and software tools;
            Autonomous agents that plan, call tools and reflect on feedback have become a
            central paradigm for applying language models to real-world workflows;
            Multi-agent systems built on large language models promise to decompose complex
            tasks among specialised collaborators
        """,
        gap="""
            agents still fail on long-horizon tasks because errors in early steps compound;
            existing agent frameworks rely on hand-crafted workflows that transfer poorly to new
            environments;
            collecting high-quality agent trajectories for training remains expensive;
            current agents rarely learn from their own past experience across episodes
        """,
        goal="""
            let web agents recover from their own mistakes;
            scale agentic training with synthetic environments;
            equip agents with persistent memory across sessions;
            coordinate multiple agents on deep research tasks
        """,
        noun="agent framework; agentic training pipeline; multi-agent system",
        task="""
            long-horizon web navigation; GUI agents; tool-augmented agents; deep research
            agents; agent memory; computer-use agents
        """,
        part="""
            hierarchical planning; tool-call trajectories; experience replay memory;
            self-reflection on failed actions; synthetic environment generation;
            role-specialised sub-agents; screenshot grounding
        """,
        items="agent trajectories; tool-use episodes; annotated GUI screenshots",
        bench="WebArena; OSWorld; GAIA; SWE-bench Verified; tau-bench; BrowseComp",
        metric="task success rate; success rate; pass@1",
        baseline="ReAct-style agents; proprietary agents; prior open-source agents",
        keywords="""
            LLM agents; autonomous agents; tool use; function calling; GUI agents; web agents;
            multi-agent systems; long-horizon tasks; agentic reinforcement learning; memory;
            planning; trajectory synthesis; computer-use agents; deep research; ReAct;
            environment feedback; agentic workflows
        """,
        stems="Agent; Act; Web; Nav; Tool; Plan; Task; Claw; Op",
    ),
    "rl": _topic(
        "rl",
        context="""
            Reinforcement learning with verifiable rewards has become the standard recipe for
            post-training large language models;
            Policy optimisation methods such as PPO and GRPO drive much of the recent progress
            in aligning and improving language models;
            Reinforcement learning from human feedback remains central to making models helpful,
            but reward signals are sparse and noisy
        """,
        gap="""
            group-relative advantage estimates collapse when all rollouts share the same reward;
            entropy collapse during training limits exploration and caps final performance;
            sparse outcome rewards give little signal about which tokens were responsible;
            on-policy rollouts dominate training cost and leave the accelerator idle
        """,
        goal="""
            stabilise policy optimisation for long reasoning rollouts;
            preserve exploration during reinforcement learning;
            assign credit to the tokens that matter;
            make RL post-training more sample-efficient
        """,
        noun="policy optimisation algorithm; RL training framework; reward shaping method",
        task="""
            reinforcement learning with verifiable rewards; policy optimisation for LLMs;
            exploration in RL fine-tuning; reward modeling; off-policy RL for language models
        """,
        part="""
            token-level credit assignment; entropy regularisation; asynchronous rollout
            generation; clipped importance sampling; dense reward shaping; difficulty-aware data
            curricula; generative reward models
        """,
        items="preference pairs; verifiable prompts; rollouts with rewards",
        bench="AIME 2025; MATH-500; AMC23; LiveCodeBench; OlympiadBench",
        metric="average accuracy; pass@1; training throughput",
        baseline="GRPO; PPO; DAPO; standard RLVR",
        keywords="""
            reinforcement learning; RLVR; GRPO; PPO; policy optimization; reward model; RLHF;
            entropy collapse; exploration; credit assignment; advantage estimation; verifiable
            rewards; off-policy; rollouts; KL divergence; importance sampling; policy gradient
        """,
        stems="Policy; Reward; Explore; Clip; Grad; PO; Critic; Rollout",
    ),
    "image_generation": _topic(
        "image_generation",
        context="""
            Diffusion models have become the dominant approach to text-to-image generation,
            producing photorealistic images from natural language prompts;
            Flow matching and diffusion transformers now power state-of-the-art image
            generators;
            Instruction-based image editing lets users modify images with free-form text
        """,
        gap="""
            existing models struggle to render legible text and follow compositional prompts;
            sampling still requires dozens of network evaluations per image;
            editing methods often alter regions that the instruction never mentioned;
            personalisation methods require per-subject fine-tuning that is slow and fragile
        """,
        goal="""
            generate high-resolution images in a few sampling steps;
            follow complex compositional prompts faithfully;
            edit images precisely from natural language instructions;
            personalise generation to new subjects without fine-tuning
        """,
        noun="diffusion framework; image generation model; training-free editing method",
        task="""
            text-to-image generation; instruction-based image editing; few-step diffusion
            sampling; subject-driven generation; visual autoregressive modeling
        """,
        part="""
            rectified flow distillation; classifier-free guidance; attention map manipulation; a
            diffusion transformer backbone; discrete visual tokenizers; reward-weighted
            fine-tuning; LoRA adapters
        """,
        items="image-caption pairs; instruction-edit triplets; high-resolution images",
        bench="GenEval; DPG-Bench; T2I-CompBench; ImgEdit; MS-COCO",
        metric="FID; CLIP score; GenEval score",
        baseline="SDXL; FLUX; prior diffusion models",
        keywords="""
            diffusion models; text-to-image generation; flow matching; diffusion transformer;
            DiT; image editing; classifier-free guidance; latent diffusion; autoregressive image
            generation; visual tokenizer; distillation; few-step sampling; personalization;
            LoRA; FID; VAE
        """,
        stems="Diff; Pix; Paint; Flux; Draw; Canvas; Image; Edit; Glyph",
    ),
    "video_generation": _topic(
        "video_generation",
        context="""
            Video diffusion models can now synthesise short clips with impressive visual
            quality;
            Generating long, temporally coherent videos remains one of the hardest problems in
            generative modeling;
            Interactive world models that generate video conditioned on actions have attracted
            growing attention
        """,
        gap="""
            quality degrades quickly once generation extends beyond the training horizon;
            existing methods offer little control over camera motion and subject identity;
            the quadratic cost of full spatio-temporal attention makes long videos prohibitively
            expensive;
            autoregressive video generation accumulates errors frame by frame
        """,
        goal="""
            generate minute-long videos with consistent subjects;
            control camera trajectories during video generation;
            speed up video diffusion with sparse attention;
            turn a pretrained video model into an interactive world model
        """,
        noun="video generation framework; video diffusion model; world model",
        task="""
            long video generation; camera-controlled video generation; image-to-video synthesis;
            interactive world models; talking-head animation
        """,
        part="""
            causal video diffusion; sparse spatio-temporal attention; camera pose embeddings;
            self-forcing training; keyframe anchoring; motion priors; audio-driven lip
            synchronisation
        """,
        items="video clips; video-caption pairs; multi-view video sequences",
        bench="VBench; EvalCrafter; UCF-101; MSR-VTT",
        metric="FVD; VBench score; temporal consistency",
        baseline="open-source video models; CogVideoX; prior video generators",
        keywords="""
            video generation; video diffusion models; text-to-video; image-to-video; temporal
            consistency; world model; camera control; autoregressive video generation; long
            video; motion; sparse attention; FVD; VBench
        """,
        stems="Vid; Motion; Frame; Cine; Anim; World; Clip; Dream",
    ),
    "vision_3d": _topic(
        "vision_3d",
        context="""
            Reconstructing 3D scenes from casually captured images is a long-standing goal of
            computer vision;
            3D Gaussian splatting enables real-time novel view synthesis with high fidelity;
            Feed-forward models that predict geometry directly from images are reshaping 3D
            vision
        """,
        gap="""
            per-scene optimisation takes minutes to hours and needs accurate camera poses;
            existing methods break down on dynamic scenes and sparse views;
            generated 3D assets often lack clean topology and usable materials;
            depth estimates from single images are inconsistent across frames
        """,
        goal="""
            reconstruct dynamic scenes from monocular video;
            generate textured 3D assets from a single image;
            estimate consistent depth and camera poses in one forward pass;
            render novel views in real time
        """,
        noun="3D reconstruction framework; feed-forward model; 3D generation pipeline",
        task="""
            novel view synthesis; monocular depth estimation; image-to-3D generation; dynamic
            scene reconstruction; semantic segmentation; object detection
        """,
        part="""
            3D Gaussian splatting; point map regression; multi-view diffusion priors; neural
            radiance fields; deformation fields; geometry-aware attention; mesh extraction
        """,
        items="posed multi-view images; 3D assets; RGB-D scans",
        bench="ScanNet; DTU; Objaverse; KITTI; Tanks and Temples",
        metric="PSNR; Chamfer distance; absolute relative error",
        baseline="optimisation-based methods; NeRF-based methods; prior feed-forward models",
        keywords="""
            3D Gaussian Splatting; 3DGS; novel view synthesis; NeRF; 3D reconstruction; depth
            estimation; point cloud; camera pose estimation; multi-view diffusion; mesh
            generation; dynamic scenes; SLAM; semantic segmentation; feed-forward reconstruction
        """,
        stems="Geo; Splat; Depth; Mesh; Scene; Recon; View; Point; Gauss",
    ),
    "multimodal": _topic(
        "multimodal",
        context="""
            Multimodal large language models have made rapid progress in visual question
            answering and image understanding;
            Vision-language models are increasingly expected to reason over charts, documents
            and long videos;
            Unified models that both understand and generate images are an emerging direction
            for multimodal AI
        """,
        gap="""
            current MLLMs hallucinate objects that are not present in the image;
            visual tokens dominate the context and make long-video understanding expensive;
            models often answer from language priors instead of grounding in the visual input;
            fine-grained perception of small details and text in images remains weak
        """,
        goal="""
            ground multimodal reasoning in the visual evidence;
            reduce visual token redundancy for long videos;
            unify visual understanding and generation in one model;
            reduce hallucination in vision-language models
        """,
        noun="multimodal model; vision-language framework; visual instruction-tuning recipe",
        task="""
            visual reasoning in MLLMs; long video understanding; document and chart
            understanding; hallucination in VLMs; unified multimodal understanding and
            generation
        """,
        part="""
            visual token pruning; grounded chain-of-thought; high-resolution image cropping; a
            vision encoder with dynamic resolution; interleaved image-text pretraining;
            multimodal reinforcement learning; cross-modal alignment
        """,
        items="visual instruction samples; image-question-answer triplets; annotated charts",
        bench="MMMU; MathVista; Video-MME; ChartQA; DocVQA; POPE",
        metric="accuracy; average score; hallucination rate",
        baseline="open-source MLLMs; Qwen2.5-VL; LLaVA-style models",
        keywords="""
            multimodal large language models; MLLMs; vision-language models; VLMs; visual
            question answering; hallucination; visual tokens; video understanding; visual
            grounding; vision encoder; instruction tuning; OCR; unified multimodal model;
            cross-modal alignment
        """,
        stems="Vis; Omni; Lens; Sight; VL; Look; Eye; Scope; Pixel",
    ),
    "speech_audio": _topic(
        "speech_audio",
        context="""
            Speech language models aim to understand and generate spoken language end to end;
            Neural audio codecs have made it possible to model speech and music as discrete
            token sequences;
            Text-to-speech systems now produce speech that is hard to distinguish from human
            recordings
        """,
        gap="""
            cascaded pipelines add latency and lose paralinguistic information;
            existing codecs trade reconstruction quality against token rate;
            zero-shot voice cloning remains brittle for expressive and noisy speech;
            low-resource languages remain poorly served by speech recognition systems
        """,
        goal="""
            enable full-duplex spoken dialogue with low latency;
            compress audio into few semantic tokens;
            synthesise expressive speech from a few seconds of reference audio;
            recognise speech robustly in low-resource languages
        """,
        noun="speech language model; audio codec; text-to-speech system",
        task="""
            zero-shot text-to-speech; spoken dialogue; automatic speech recognition; music
            generation; audio understanding
        """,
        part="""
            residual vector quantisation; semantic audio tokens; streaming speech decoding;
            flow-matching acoustic models; speaker embeddings; audio-text alignment
        """,
        items="hours of transcribed speech; audio-caption pairs; music tracks",
        bench="LibriSpeech; Seed-TTS-Eval; AudioCaps; MusicCaps; FLEURS",
        metric="word error rate; speaker similarity; MOS",
        baseline="cascaded ASR-LLM-TTS pipelines; existing codecs; prior TTS systems",
        keywords="""
            text-to-speech; TTS; automatic speech recognition; ASR; speech language model; audio
            codec; residual vector quantization; voice cloning; spoken dialogue; full-duplex;
            music generation; audio tokens; WER; phonemizer
        """,
        stems="Voice; Audio; Speech; Sonic; Tone; Echo; Wave; Vox; Melo",
    ),
    "robotics": _topic(
        "robotics",
        context="""
            Vision-language-action models promise general-purpose robot policies that follow
            natural language instructions;
            Embodied agents must perceive, plan and act in physical environments;
            Imitation learning from human demonstrations has enabled dexterous manipulation
        """,
        gap="""
            collecting real-world robot demonstrations is slow and expensive;
            policies trained in simulation transfer poorly to real hardware;
            existing VLA models lack spatial reasoning and fail on long-horizon manipulation;
            action chunking introduces latency that hurts reactive control
        """,
        goal="""
            transfer manipulation skills from simulation to real robots;
            ground language instructions in robot actions;
            learn dexterous manipulation from human videos;
            navigate unseen environments from instructions
        """,
        noun="vision-language-action model; robot learning framework; embodied agent",
        task="""
            robotic manipulation; vision-language-action models; sim-to-real transfer; embodied
            navigation; autonomous driving; dexterous grasping
        """,
        part="""
            action chunking; diffusion policies; world-model rollouts; spatial affordance maps;
            teleoperation data; domain randomisation; proprioceptive feedback
        """,
        items="robot demonstrations; teleoperated trajectories; egocentric videos",
        bench="LIBERO; CALVIN; SimplerEnv; RLBench; nuScenes",
        metric="success rate; task completion rate; collision rate",
        baseline="OpenVLA; diffusion policy baselines; prior VLA models",
        keywords="""
            vision-language-action models; VLA; robotic manipulation; embodied AI; imitation
            learning; diffusion policy; sim-to-real transfer; action chunking; teleoperation;
            autonomous driving; embodied navigation; dexterous manipulation; humanoid robots
        """,
        stems="Robo; Grasp; Act; Bot; Dex; Manip; Drive; Nav; Hand",
    ),
    "efficiency": _topic(
        "efficiency",
        context="""
            Deploying large language models is limited by memory bandwidth and the size of the
            key-value cache;
            Quantization and sparsity are the main tools for shrinking large models for
            inference;
            Long-context inference is dominated by the cost of attention over the KV cache
        """,
        gap="""
            low-bit quantization causes large accuracy drops because of activation outliers;
            existing KV cache compression discards tokens that later become important;
            speculative decoding gains vanish when the draft model is poorly aligned;
            sparse attention kernels rarely deliver wall-clock speedups in practice
        """,
        goal="""
            quantize weights and activations to 4 bits with minimal accuracy loss;
            compress the KV cache for long-context inference;
            accelerate decoding with speculative drafts;
            reduce the memory footprint of serving large models
        """,
        noun="quantization method; inference acceleration framework; compression technique",
        task="""
            low-bit quantization of LLMs; KV cache compression; speculative decoding; efficient
            long-context inference; model pruning
        """,
        part="""
            rotation-based outlier suppression; mixed-precision kernels; token eviction
            policies; draft-tree verification; structured sparsity; hardware-aware scheduling;
            linear attention
        """,
        items="calibration samples; long-context prompts",
        bench="WikiText-2; LongBench; RULER; MMLU; C4",
        metric="perplexity; throughput; end-to-end latency",
        baseline="GPTQ; AWQ; FP16 inference; existing compression methods",
        keywords="""
            quantization; post-training quantization; KV cache; KV cache compression;
            speculative decoding; pruning; sparsity; inference efficiency; low-bit; mixed
            precision; memory footprint; throughput; latency; linear attention; FlashAttention
        """,
        stems="Quant; Spec; Sparse; Lite; Zip; Fast; Prune; Flash; Bit",
    ),
    "training_scaling": _topic(
        "training_scaling",
        context="""
            Scaling laws describe how language model loss improves with parameters, data and
            compute;
            Mixture-of-experts architectures scale model capacity without a proportional
            increase in compute;
            Pretraining large models requires careful choices of optimiser, learning rate
            schedule and data mixture
        """,
        gap="""
            hyperparameters tuned at small scale often fail to transfer to larger models;
            load imbalance across experts wastes compute and destabilises training;
            loss spikes during large-scale pretraining remain poorly understood;
            the interaction between data repetition and model size is rarely studied
        """,
        goal="""
            predict downstream performance from small-scale runs;
            train mixture-of-experts models stably at scale;
            transfer optimal hyperparameters across model sizes;
            make pretraining more compute-efficient
        """,
        noun="training recipe; optimiser; scaling study; model architecture",
        task="""
            scaling laws for language models; mixture-of-experts training; LLM pretraining;
            optimizer design; continual pretraining
        """,
        part="""
            expert load balancing; learning-rate warmup-stable-decay schedules; muP
            parameterisation; second-order optimisation; curriculum data mixtures; model merging
        """,
        items="curated pretraining documents; instruction-response pairs",
        bench="MMLU; HellaSwag; ARC-Challenge; GSM8K; the Pile",
        metric="validation loss; downstream accuracy; compute efficiency",
        baseline="AdamW; dense baselines; standard pretraining recipes",
        keywords="""
            scaling laws; pretraining; mixture of experts; MoE; optimizer; AdamW; learning rate
            schedule; hyperparameter transfer; compute-optimal; loss spikes; training stability;
            model merging; continual pretraining; data mixture
        """,
        stems="Scale; Mo; Expert; Muon; Train; Opt; Grow; Mix",
    ),
    "data_benchmarks": _topic(
        "data_benchmarks",
        context="""
            Benchmarks drive progress in machine learning, but many popular ones are saturated
            or contaminated;
            High-quality training data is a key ingredient of capable language models;
            Evaluating frontier models requires tasks that are both difficult and reliably
            graded
        """,
        gap="""
            existing benchmarks are saturated and leak into pretraining corpora;
            LLM-as-a-judge evaluations are biased toward longer answers;
            web-scale corpora contain large amounts of low-quality and duplicated text;
            most datasets cover only English and a handful of high-resource languages
        """,
        goal="""
            measure capabilities that current benchmarks miss;
            curate higher-quality pretraining data;
            evaluate models reliably without human graders;
            cover low-resource languages in evaluation
        """,
        noun="benchmark; dataset; evaluation suite; data curation pipeline",
        task="""
            evaluating frontier models; data curation for pretraining; multilingual evaluation;
            LLM-as-a-judge; synthetic data generation
        """,
        part="""
            expert-written questions; contamination detection; model-based quality filtering;
            rubric-based grading; deduplication; human verification
        """,
        items="expert-annotated questions; curated documents; multilingual prompts",
        bench="MMLU-Pro; HLE; Arena-Hard; our benchmark; FineWeb",
        metric="accuracy; agreement with human judges; win rate",
        baseline="frontier proprietary models; existing benchmarks; random baselines",
        keywords="""
            benchmark; evaluation; dataset; data curation; data contamination; LLM-as-a-judge;
            synthetic data; quality filtering; deduplication; multilingual; low-resource
            languages; human annotation; leaderboard
        """,
        stems="Bench; Eval; Data; Set; Arena; Corpus; Test; Exam",
    ),
    "safety_alignment": _topic(
        "safety_alignment",
        context="""
            Aligning large language models with human values is essential for their safe
            deployment;
            Jailbreak attacks can bypass the safety training of large language models;
            Interpretability research aims to understand the internal mechanisms behind model
            behaviour
        """,
        gap="""
            safety-tuned models still comply with harmful requests under adversarial prompts;
            preference optimisation can reward sycophancy instead of truthfulness;
            existing defences over-refuse benign requests;
            we lack tools to detect deceptive behaviour from model internals
        """,
        goal="""
            defend language models against jailbreak attacks;
            reduce sycophancy without hurting helpfulness;
            detect unsafe behaviour from internal activations;
            align models with human preferences more reliably
        """,
        noun="alignment method; safety framework; red-teaming approach",
        task="""
            jailbreak defense; preference alignment; mechanistic interpretability; hallucination
            detection; AI safety evaluation
        """,
        part="""
            direct preference optimisation; sparse autoencoders; activation steering;
            adversarial red-teaming; constitutional feedback; linear probes; refusal directions
        """,
        items="adversarial prompts; preference pairs; red-teaming conversations",
        bench="HarmBench; AdvBench; TruthfulQA; XSTest; StrongREJECT",
        metric="attack success rate; refusal rate; win rate",
        baseline="DPO; RLHF; existing defenses",
        keywords="""
            AI safety; alignment; jailbreak; red teaming; RLHF; DPO; direct preference
            optimization; sycophancy; interpretability; sparse autoencoders; activation
            steering; harmful content; over-refusal; deception
        """,
        stems="Safe; Guard; Align; Shield; Trust; Probe; Refuse; Honest",
    ),
    "retrieval_rag": _topic(
        "retrieval_rag",
        context="""
            Retrieval-augmented generation grounds language models in external knowledge;
            Dense retrieval with text embeddings is the backbone of modern search systems;
            Long-context models and retrieval offer two competing ways to use large document
            collections
        """,
        gap="""
            retrieved passages are often irrelevant or contradictory and mislead the generator;
            embedding models trained on generic data transfer poorly to specialised domains;
            multi-hop questions require iterative retrieval that static pipelines cannot do;
            existing rerankers are too slow for large candidate sets
        """,
        goal="""
            retrieve evidence adaptively during generation;
            train general-purpose text embeddings;
            answer multi-hop questions over large corpora;
            make reranking both accurate and fast
        """,
        noun="retrieval-augmented framework; embedding model; search agent",
        task="""
            retrieval-augmented generation; dense retrieval; multi-hop question answering; text
            embeddings; knowledge-intensive tasks
        """,
        part="""
            query rewriting; contrastive pretraining; graph-based knowledge indexing; listwise
            reranking; iterative retrieval; hard negative mining
        """,
        items="query-document pairs; multi-hop questions; retrieval corpora",
        bench="BEIR; MTEB; HotpotQA; Natural Questions; MuSiQue",
        metric="nDCG@10; recall@100; exact match",
        baseline="BM25; standard RAG; existing embedding models",
        keywords="""
            retrieval-augmented generation; RAG; dense retrieval; text embeddings; reranking;
            knowledge graph; GraphRAG; question answering; multi-hop reasoning; contrastive
            learning; search engine; query rewriting; embedding model
        """,
        stems="Retr; Search; Rank; Embed; Graph; Know; Recall; Find",
    ),
    "code": _topic(
        "code",
        context="""
            Large language models for code can now solve many programming tasks from natural
            language descriptions;
            Software engineering agents resolve real GitHub issues by editing repositories;
            Code generation benchmarks measure functional correctness with unit tests
        """,
        gap="""
            models struggle with repository-level context that spans many files;
            generated code often passes the visible tests but fails hidden ones;
            collecting executable training environments for code is labour-intensive;
            existing models rarely use execution feedback to debug their own programs
        """,
        goal="""
            resolve repository-level software issues;
            generate functionally correct code from specifications;
            learn from execution feedback;
            translate legacy code between programming languages
        """,
        noun="code language model; software engineering agent; code generation framework",
        task="""
            repository-level code generation; automated program repair; code reasoning; software
            engineering agents; unit test generation
        """,
        part="""
            execution feedback; unit-test-based rewards; repository context retrieval; code
            execution sandboxes; self-debugging; abstract syntax tree representations
        """,
        items="executable tasks; GitHub issues with tests; code snippets",
        bench="HumanEval; MBPP; SWE-bench Verified; LiveCodeBench; BigCodeBench",
        metric="pass@1; resolve rate; test pass rate",
        baseline="open-source code models; prior SWE agents; larger code LLMs",
        keywords="""
            code generation; code LLMs; program synthesis; software engineering; SWE-bench; unit
            tests; program repair; execution feedback; code reasoning; repository-level;
            debugging; HumanEval
        """,
        stems="Code; Dev; Patch; Bug; Repo; Coder; Syn; Compile",
    ),
    "math_science": _topic(
        "math_science",
        context="""
            Formal theorem proving offers a rigorous test of mathematical reasoning;
            AI systems are increasingly used to accelerate scientific discovery;
            Machine learning has transformed weather forecasting and materials design
        """,
        gap="""
            informal proofs generated by language models are hard to verify;
            scientific literature is too large for any researcher to follow;
            existing models ignore physical constraints and produce implausible outputs;
            formal proof data is scarce compared with informal mathematics
        """,
        goal="""
            prove competition-level theorems in Lean;
            generate and test scientific hypotheses;
            simulate physical systems faithfully;
            discover new materials with desired properties
        """,
        noun="theorem prover; AI scientist system; scientific foundation model",
        task="""
            formal theorem proving; scientific discovery; weather forecasting; materials
            discovery; solving partial differential equations
        """,
        part="""
            Lean 4 proof search; autoformalisation; physics-informed losses; hypothesis
            generation; equivariant graph networks; neural operators
        """,
        items="formal statements; scientific papers; simulation trajectories",
        bench="miniF2F; PutnamBench; ProofNet; ERA5; ScienceQA",
        metric="proof success rate; accuracy; RMSE",
        baseline="prior provers; numerical solvers; domain-specific baselines",
        keywords="""
            theorem proving; Lean; formal mathematics; autoformalization; mathematical
            reasoning; scientific discovery; AI scientist; physics-informed neural networks;
            neural operator; weather forecasting; materials science; PDE; chemistry
        """,
        stems="Prove; Lean; Theo; Sci; Phys; Chem; Math; Form",
    ),
    "medicine_biology": _topic(
        "medicine_biology",
        context="""
            Medical foundation models could assist clinicians with diagnosis and reporting;
            Protein language models learn rich representations of sequence and structure;
            Large language models show promise on medical question answering
        """,
        gap="""
            models trained on public data generalise poorly across hospitals and scanners;
            medical image annotations are scarce and costly to obtain;
            generated radiology reports contain clinically significant errors;
            existing protein models ignore the conformational dynamics of molecules
        """,
        goal="""
            generate accurate radiology reports;
            segment medical images with few annotations;
            design proteins with desired functions;
            support clinical decision making
        """,
        noun="medical foundation model; clinical AI system; protein design framework",
        task="""
            medical image segmentation; radiology report generation; protein design; clinical
            question answering; drug discovery
        """,
        part="""
            domain-specific pretraining; clinical knowledge graphs; structure-aware protein
            tokens; semi-supervised segmentation; multimodal patient records; molecular docking
        """,
        items="annotated CT scans; radiology reports; protein sequences",
        bench="MedQA; MIMIC-CXR; PubMedQA; BraTS; CASP15",
        metric="Dice score; accuracy; clinical efficacy",
        baseline="general-purpose LLMs; nnU-Net; prior medical models",
        keywords="""
            medical imaging; medical image segmentation; radiology report generation; clinical
            decision support; electronic health records; protein language models; protein
            design; drug discovery; medical LLMs; pathology; biomedical; single-cell
        """,
        stems="Med; Clin; Bio; Prot; Rad; Cell; Gene; Path; Care",
    ),
    "misc": _topic(
        "misc",
        context="""
            Forecasting economic indicators from heterogeneous signals is a long-standing
            challenge;
            Legal documents are long, technical and full of cross-references;
            Educational platforms increasingly rely on automated feedback for students;
            Sports analytics turns match recordings into tactical insights;
            Urban planning decisions depend on accurate models of human mobility
        """,
        gap="""
            existing approaches ignore the temporal structure of the signals;
            annotated data in these domains is scarce and expensive;
            off-the-shelf models lack the domain knowledge that practitioners rely on;
            evaluation protocols in this area are inconsistent across studies
        """,
        goal="""
            forecast indicators from mixed-frequency data;
            analyse long legal contracts;
            give students personalised feedback;
            model human mobility in cities
        """,
        noun="framework; system; study",
        task="""
            time series forecasting; legal document analysis; automated essay feedback; sports
            analytics; human mobility modeling; tabular data prediction
        """,
        part="""
            temporal fusion; domain-adapted pretraining; expert-designed rubrics; graph neural
            networks; gradient-boosted trees; survey data
        """,
        items="annotated documents; match recordings; student essays; mobility traces",
        bench="our new benchmark; public datasets; M4",
        metric="MAE; F1 score; accuracy",
        baseline="statistical baselines; domain-specific models; strong baselines",
        keywords="""
            time series forecasting; legal NLP; education; sports analytics; urban computing;
            tabular data; graph neural networks; economics; survey; recommendation systems;
            federated learning
        """,
        stems="Fore; Lex; Edu; Urban; Tab; Cast; Play; Civic",
    ),
}

# Relative frequency of each topic, before 2025 and from 2025 (agents and RL grow).
TOPIC_WEIGHTS_EARLY = {
    "llm_reasoning": 9, "agents": 6, "rl": 4, "image_generation": 11, "video_generation": 8,
    "vision_3d": 10, "multimodal": 11, "speech_audio": 4, "robotics": 4, "efficiency": 7,
    "training_scaling": 6, "data_benchmarks": 5, "safety_alignment": 4, "retrieval_rag": 4,
    "code": 4, "math_science": 3, "medicine_biology": 3, "misc": 5,
}  # fmt: skip
TOPIC_WEIGHTS_LATE = {
    "llm_reasoning": 12, "agents": 12, "rl": 8, "image_generation": 8, "video_generation": 8,
    "vision_3d": 8, "multimodal": 10, "speech_audio": 3, "robotics": 5, "efficiency": 5,
    "training_scaling": 4, "data_benchmarks": 5, "safety_alignment": 4, "retrieval_rag": 3,
    "code": 4, "math_science": 3, "medicine_biology": 3, "misc": 5,
}  # fmt: skip

ADJECTIVES = (
    "simple yet effective",
    "scalable",
    "unified",
    "lightweight",
    "training-free",
    "data-efficient",
    "general-purpose",
    "modular",
    "novel",
    "plug-and-play",
    "fully open",
)
GENERIC_STEMS = (
    "Omni", "Uni", "Flex", "Meta", "Hyper", "Deep", "Auto", "Open", "Any", "Nova", "Astra",
    "Lumi", "Zero", "Pro", "Neo", "Kairos", "Atlas", "Orion", "Helix", "Vega", "Sigma", "Ori",
)  # fmt: skip
NAME_ENDINGS = (
    "Flow",
    "Bench",
    "Gen",
    "Former",
    "Star",
    "Craft",
    "Mind",
    "Forge",
    "Pilot",
    "Verse",
)
NAME_SUFFIXES = ("-R1", "-Zero", "-1.5", "++", "-V2", "-X", "-Lite", "-Pro", "-2", "-VL", "-o1")
SYLLABLES = ("ra", "lo", "vi", "ka", "ze", "mo", "tri", "sy", "qu", "ne", "xo", "ar", "ex", "im")
BENEFITS = (
    "enabling fine-grained control without additional supervision",
    "which substantially reduces training cost",
    "allowing the model to generalise to unseen settings",
    "while remaining compatible with existing pipelines",
    "which keeps inference overhead negligible",
    "yielding more stable optimisation",
)
EFFICIENCY_CLAUSES = (
    "using only a fraction of the training compute",
    "adding negligible inference overhead",
    "with 3x fewer parameters",
    "while reducing latency by nearly half",
    "without any task-specific tuning",
)
RESULTS = (
    "consistently outperforms {baseline}",
    "achieves state-of-the-art results among open models",
    "matches much larger models while being considerably cheaper",
    "improves substantially over {baseline}",
    "sets a new state of the art",
)
FINDINGS = (
    "{part} accounts for most of the improvement",
    "the gains grow with model scale",
    "{part} and {part2} are complementary",
    "current models remain far from human performance",
    "performance is highly sensitive to {part}",
)
OPENERS = (
    "In this paper, we introduce {name}, {a} {adj} {noun} designed to {goal}.",
    "We present {name}, {a} {adj} {noun} designed to {goal}.",
    "To address this, we propose {name}, {a} {adj} {noun} that aims to {goal}.",
    "In this work, we propose {name}, {a} {adj} {noun} to {goal}.",
)
FILLERS = (
    "This limits their applicability to {task} in real-world settings.",
    "As a result, progress on {task} has been slower than expected.",
    "Moreover, most prior work evaluates {task} only in narrow, controlled settings.",
    "These issues become more severe as models and data grow.",
)
EXTRAS = (
    "Unlike prior work, {name} requires no additional annotations or architectural changes.",
    "We also conduct extensive ablations to validate the contribution of each component.",
    "We further show that {name} transfers to {task} without retraining.",
    "Qualitative results confirm that {name} produces more faithful outputs in challenging "
    "cases where existing methods fail.",
    "We analyse the failure modes that remain and discuss limitations and directions for "
    "future work on {task}.",
    "Human evaluation further confirms these improvements, with annotators preferring {name} "
    "in most pairwise comparisons.",
)

# ----------------------------------------------------------------------------------------
# People, organisations and links. Invented; name pools are common names of many origins.
# ----------------------------------------------------------------------------------------


def _pool(
    given: str, surnames: str, weight: float
) -> tuple[tuple[str, ...], tuple[str, ...], float]:
    """A name pool from whitespace-separated given names and surnames (each a single word)."""
    return tuple(given.split()), tuple(surnames.split()), weight


NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    # origin: (given names, surnames, weight)
    "chinese": _pool(
        """
        Wei Jie Hao Yi Xin Yu Jun Lei Tao Chen Xinyu Yuxuan Zihan Haoran Jiahao Yiming
        Zhiyuan Shuai Kai Ruoxi Siyu Jiayi Mingyu Qingyang Zhenyu Xiaoyu Yifan Boyang Tianyu
        Junyi Wenhao Chenxi Yuhang Ziyang Hongyu Shiyu Keyu Rui Bo Ning Xuan Yue Zhen Jing
        Yanan Pengfei Shuo
        """,
        """
        Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao
        Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai
        Jiang Yu Du Ye Cheng Wei Su Lü Ren Shen Yao Lu Fan Jin Qian Tan Fu Kong Bai Qin Shi
        """,
        44.0,
    ),
    "taiwanese": _pool(
        "Ting-Hsuan Yu-Chen Chia-Wei Po-Han Hsin-Ying Wei-Lun Shih-Yu",
        "Chen Lin Huang Tsai Hsu Chang Wu Yeh Chiang",
        3.0,
    ),
    "korean": _pool(
        "Minjun Seungwoo Jiwon Hyunwoo Jaehyun Sooyoung Dohyun Yejin Jisoo Taehoon Eunji Sanghyuk",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Shin",
        6.0,
    ),
    "japanese": _pool(
        "Haruto Yuki Kenji Takumi Sora Riku Aoi Hina Daiki Shun",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura",
        3.0,
    ),
    "indian": _pool(
        """
        Aditya Arjun Priya Rohan Ananya Vikram Siddharth Kavya Rahul Sneha Karthik Neha Aman
        Ishaan
        """,
        "Sharma Patel Gupta Singh Kumar Reddy Iyer Nair Rao Mehta Joshi Banerjee Mukherjee Das",
        9.0,
    ),
    "english": _pool(
        """
        James Emily Michael Sarah David Laura Daniel Rachel Thomas Olivia Ryan Hannah Nathan
        Grace Ethan Chloe Samuel Megan
        """,
        """
        Smith Johnson Brown Miller Davis Wilson Anderson Taylor Moore Clark Walker Hall
        Young King Wright Scott Green Baker Adams Carter Mitchell Turner
        """,
        11.0,
    ),
    "french": _pool(
        """
        Théo Hélène Jérôme Amélie Clément Loïc Étienne Julien Camille Nicolas Marie Antoine
        Sophie Thomas Louis Claire
        """,
        """
        Lefèvre Dubois Bérard Garnier Rousseau Fournier Mercier Martin Bernard Moreau
        Laurent Simon Michel Girard Faure Petit
        """,
        2.5,
    ),
    "german": _pool(
        """
        Jürgen Jörg Lukas Anja Tobias Katrin Maximilian Sören Felix Lena Jonas Anna Paul
        Laura Moritz Julia
        """,
        """
        Müller Schröder Köhler Weiß Hoffmann Schmidt Meyer Becker Wolf Neumann Zimmermann
        Wagner Fischer Vogel Braun Richter
        """,
        3.0,
    ),
    "spanish": _pool(
        """
        José María Andrés Lucía Sebastián Pablo Carmen Diego Elena Javier Sofia Carlos Marta
        Alejandro
        """,
        """
        Núñez Muñoz García Martínez Pérez Ibáñez Lopez Torres Ruiz Diaz Romero Navarro
        Moreno Ortega Castaño Peña
        """,
        2.5,
    ),
    "polish_czech": _pool(
        "Łukasz Michał Paweł Katarzyna Wojciech Jiří Tomáš Piotr Anna Jan Marek Ewa Adam Petr",
        """
        Kowalski Wiśniewski Wójcik Dąbrowski Zieliński Nowak Kaminski Lewandowski Dvořák
        Novák Kowalczyk Mazur Krawczyk Svoboda
        """,
        1.5,
    ),
    "nordic": _pool(
        "Søren Åsa Lars Ingrid Mikael Freja Erik Nils Sigrún",
        "Hansen Nørgaard Lindqvist Sjöberg Halvorsen Larsen Berg Johansson",
        0.8,
    ),
    "turkish": _pool(
        "Çağrı Gökhan Şeyma Özge Burak Elif Emre Mehmet Ayse",  # noqa: RUF001 (Turkish dotless i)
        "Öztürk Yılmaz Çelik Şahin Aydın Doğan Kaya Demir Arslan",  # noqa: RUF001 (Turkish dotless i)
        1.0,
    ),
    "portuguese": _pool(
        "João Luís Inês Tiago Beatriz Pedro Rafael Ana Bruno",
        "Gonçalves Araújo Simões Ferreira Silva Santos Oliveira Costa",
        1.0,
    ),
    "arabic": _pool(
        "Ahmed Omar Fatima Youssef Layla Karim Mariam",
        "Haddad Al-Mansour Khalil Nasser El-Amin Hassan",
        2.0,
    ),
    "vietnamese": _pool(
        "Minh Thanh Huy Linh Quang Đức Anh Tuan Hieu",
        "Nguyen Tran Le Pham Hoang Vu Dang Bui Nguyễn",
        1.5,
    ),
    "russian": _pool(
        "Dmitry Alexei Ekaterina Ivan Sergey Anastasia Mikhail",
        "Ivanov Smirnov Kuznetsov Popov Sokolov Volkova Morozova",
        3.0,
    ),
}
NON_LATIN_NAMES = (
    "李明", "王芳", "陈浩然", "刘洋", "张伟", "佐藤 健", "김민준", "Алексей Иванов",
    "Мария Смирнова", "Γιώργος Παπαδόπουλος", "Ελένη Νικολάου", "赵思远",
)  # fmt: skip

ORGANIZATIONS = (
    ("nordlicht-ai", "Nordlicht AI"),
    ("KestrelResearch", "Kestrel Research"),
    ("blueharbor-lab", "Blue Harbor Lab"),
    ("eastbrook-univ", "Eastbrook University"),
    ("tianhe-vision", "Tianhe Vision Lab"),
    ("SilverPineAI", "Silver Pine AI"),
    ("meridian-nlp", "Meridian NLP Group"),
    ("halcyon", "Halcyon Labs"),
    ("westvale-robotics", "Westvale Robotics"),
    ("QuartzML", "Quartz Machine Learning"),
    ("lakeshore-ai", "Lakeshore Institute for AI"),
    ("cobalt-seed", "Cobalt Seed"),
    ("hanlin-ai", "Hanlin AI Lab"),
    ("aurora-cs", "Aurora University CS"),
    ("redwood-compute", "Redwood Compute"),
    ("PolarisAGI", "Polaris AGI"),
    ("ridgeline", "Ridgeline Research"),
    ("kaito-lab", "Kaito Lab"),
    ("starling-ai", "Starling AI"),
    ("granite-mm", "Granite Multimodal Team"),
    ("OpenFjord", "OpenFjord"),
    ("sunbird-health", "Sunbird Health AI"),
    ("zephyr-labs", "Zephyr Labs"),
    ("northgate-univ", "Northgate University"),
)
GIT_HOSTS = ("https://gitlab.com", "https://codeberg.org", "https://bitbucket.org")
PAGE_HOSTS = ("sites.google.com/view", "notion.site", "vercel.app", "netlify.app")
GITHUB_VARIANTS = (
    # (form, weight); most repos are canonical. On top of these draws, every listing day
    # writes one repo in a messy form (see `_day_plan`), so about 15% are messy overall.
    ("canonical", 93.0),
    ("trailing_slash", 1.5),
    ("dot_git", 0.8),
    ("tree_path", 1.2),
    ("blob_path", 0.5),
    ("http_www", 0.5),
    ("owner_only", 0.6),
    ("other_host", 0.6),
    ("embedded_newline", 0.4),
    ("embedded_space", 0.4),
    ("query_fragment", 0.5),
)
MESSY_GITHUB_FORMS = tuple(form for form, _ in GITHUB_VARIANTS if form != "canonical")
STATUSES = (
    ("admin_assigned", 52.0),
    ("claimed_verified", 42.0),
    ("extracted_pending", 3.5),
    ("extracted_confirmed", 2.5),
)
MEDIA_EXTENSIONS = ("mp4", "png", "png", "mp4", "gif", "jpeg")
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on"})
_SMALL_WORDS |= {"or", "the", "to", "via", "with", "is"}


@lru_cache(maxsize=4096)
def _title_case(phrase: str) -> str:
    """Title Case that keeps acronyms ("LLMs") and small words ("Chain-of-Thought")."""
    out = []
    for index, word in enumerate(phrase.split(" ")):
        parts = []
        for position, part in enumerate(word.split("-")):
            small = (index or position) and part in _SMALL_WORDS
            upper = any(c.isupper() for c in part)
            parts.append(part if small or upper else part[:1].upper() + part[1:])
        out.append("-".join(parts))
    return " ".join(out)


def _wrap(text: str, first: int, rest: int, indent: str) -> str:
    """Greedy line wrap like arXiv's: lines break at spaces, later lines start with `indent`."""
    words = text.split(" ")
    lines: list[str] = []
    start = 0
    width = len(words[0])
    limit = first
    for index in range(1, len(words)):
        size = len(words[index])
        if width + 1 + size > limit:
            lines.append(" ".join(words[start:index]))
            start, width, limit = index, size, rest
        else:
            width += 1 + size
    lines.append(" ".join(words[start:]))
    return ("\n" + indent).join(lines)


def _wrap_title(title: str) -> str:
    return _wrap(title, 72, 77, "  ") if len(title) > 72 else title


def _wrap_abstract(text: str) -> str:
    return _wrap(text, 80, 80, "")


def _timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z, as the API writes it."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _object_id(rng: random.Random, moment: datetime) -> str:
    """A MongoDB-style id: 8 hex digits of creation time, then 16 random hex digits."""
    return f"{int(moment.timestamp()):08x}{rng.getrandbits(64):016x}"


def _add_to_object_id(object_id: str, offset: int) -> str:
    return f"{int(object_id, 16) + offset:024x}"


def _token(rng: random.Random, length: int = 21) -> str:
    return "".join(rng.choices(B62 + "-_", k=length))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -"))


@lru_cache(maxsize=8)
def _eastern_dst(year: int) -> tuple[datetime, datetime]:
    """US Eastern daylight time in `year`, in UTC: second Sunday of March to first of November."""
    march = date(year, 3, 8)
    start = march + timedelta(days=(6 - march.weekday()) % 7)
    november = date(year, 11, 1)
    end = november + timedelta(days=(6 - november.weekday()) % 7)
    return (
        datetime(start.year, start.month, start.day, 7, tzinfo=UTC),
        datetime(end.year, end.month, end.day, 6, tzinfo=UTC),
    )


def _eastern_offset(moment: datetime) -> timedelta:
    start, end = _eastern_dst(moment.year)
    return timedelta(hours=4 if start <= moment < end else 5)


def _weighted(
    items: Sequence[tuple[str, float]],
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    names = tuple(name for name, _ in items)
    total = 0.0
    cumulative = []
    for _, weight in items:
        total += weight
        cumulative.append(total)
    return names, tuple(cumulative)


_TOPIC_EARLY = _weighted(list(TOPIC_WEIGHTS_EARLY.items()))
_TOPIC_LATE = _weighted(list(TOPIC_WEIGHTS_LATE.items()))
_ORIGINS = _weighted([(origin, pool[2]) for origin, pool in NAME_POOLS.items()])
_GITHUB_VARIANTS = _weighted(GITHUB_VARIANTS)
_STATUSES = _weighted(STATUSES)


def _pick(rng: random.Random, table: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


# --------------------------------------------------------------------------------------------
# Eras
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Era:
    """Which keys and conventions a listing date's response has."""

    listing_date: date
    thumbnail: bool
    submitted_by: bool
    discussion_id: bool
    user_id_key: str | None  # None, "id" or "_id" inside linked users
    follower_count: bool
    daily_submission: bool
    ai_summary: bool
    github_stars: bool
    organization: bool
    wrapped: bool
    github_added_by: bool
    user_following: bool
    ai_summary_model: str | None

    @classmethod
    def of(cls, listing_date: date) -> Era:
        model = next((m for since, m in AI_SUMMARY_MODELS if listing_date >= since), None)
        if listing_date >= USER_OBJECT_ID_FROM:
            user_id_key: str | None = "_id"
        elif listing_date >= DISCUSSION_ID_FROM:
            user_id_key = "id"
        else:
            user_id_key = None
        return cls(
            listing_date=listing_date,
            thumbnail=listing_date >= THUMBNAIL_FROM,
            submitted_by=listing_date >= SUBMITTED_BY_FROM,
            discussion_id=listing_date >= DISCUSSION_ID_FROM,
            user_id_key=user_id_key,
            follower_count=listing_date >= FOLLOWER_COUNT_FROM,
            daily_submission=listing_date >= DAILY_SUBMISSION_FROM,
            ai_summary=listing_date >= AI_SUMMARY_FROM,
            github_stars=listing_date >= GITHUB_STARS_FROM,
            organization=listing_date >= ORGANIZATION_FROM,
            wrapped=listing_date < UNWRAPPED_FROM,
            github_added_by=listing_date >= GITHUB_ADDED_BY_FROM,
            user_following=listing_date >= USER_FOLLOWING_FROM,
            ai_summary_model=model,
        )


# --------------------------------------------------------------------------------------------
# The day plan: which papers a date lists. Cheap, so later dates can look back at it.
# --------------------------------------------------------------------------------------------


def _is_listing_day(day: date) -> bool:
    return day >= FEED_START and day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def _typical_count(day: date) -> float:
    """The median weekday count: ~11 in mid 2023, ~18 by the end of 2024, ~23 in late 2025."""
    years = (day - FEED_START).days / 365.25
    if years < 1.6:
        return 11.0 + 4.5 * years
    return min(18.2 + 2.2 * (years - 1.6), 25.0)


def _count_bounds(day: date) -> tuple[int, int]:
    if day.year <= 2023:
        return 8, 15
    if day.year == 2024:
        return 10, 25
    return 15, 45


def _day_count(rng: random.Random, day: date) -> tuple[int, bool]:
    """How many fresh papers a weekday lists, and whether it is a bulk day (more than 50).

    Bulk days (papers added in bulk) are 7% of weekdays from 2025, 2% in 2024; one weekday in
    about 65 from 2025 lists more than 100.
    """
    low, high = _count_bounds(day)
    roll = rng.random()
    if day.year >= 2025 and roll >= 1 - 0.015:
        return rng.randint(101, 135), True
    if (day.year >= 2025 and roll >= 1 - 0.07) or (day.year == 2024 and roll >= 1 - 0.02):
        return rng.randint(51, 72), True
    return _ordinary_count(rng, day, low, high), False


def _ordinary_count(rng: random.Random, day: date, low: int, high: int) -> int:
    count = round(_typical_count(day) * math.exp(rng.gauss(0.0, 0.3)))
    if count < low:
        return low + rng.randrange(4)
    if count > high:
        return high - rng.randrange(4)
    return count


@lru_cache(maxsize=8)
def _lag_weights(weekday: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """How many days before the listing papers were published on arXiv (weekends are quiet)."""
    base = (3, 46, 15, 11, 7, 4, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.5)
    lags = tuple(range(15))
    weights = []
    for lag, weight in zip(lags, base, strict=True):
        arxiv_weekday = (weekday - lag) % 7
        weights.append(weight * (0.25 if arxiv_weekday >= 5 else 1.0))
    cumulative: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return lags, tuple(cumulative)


def _monthly_volume(year: int) -> int:
    return {2023: 17_000, 2024: 22_000, 2025: 27_000}.get(year, 17_000 if year < 2023 else 30_000)


@dataclass(frozen=True)
class PlannedPaper:
    """One fresh paper on a day's list: its arXiv id and arXiv publication time.

    `github_variant` forces the paper to have a repo written in that messy form (see
    `_day_plan`); otherwise the paper draws its own.
    """

    paper_id: str
    published_at: datetime
    github_variant: str | None = None


@dataclass(frozen=True)
class DayPlan:
    papers: tuple[PlannedPaper, ...]
    bulk: bool
    state: int  # the day stream's state afterwards, to seed the rest of the day's draws


@lru_cache(maxsize=512)
def _blocks_per_day(year: int, month: int) -> int:
    """How many ids of one (arXiv day, lag) slot fit in a day's share of the month's numbers."""
    next_month = date(year + month // 12, month % 12 + 1, 1)
    days_in_month = (next_month - timedelta(days=1)).day
    return _monthly_volume(year) // days_in_month // 16


def _arxiv_id(arxiv_day: date, lag: int, block: int) -> str:
    """An id no other listing date can produce.

    Within the arXiv day's share of the month's numbers, number = 16 * block + lag + 1: the
    lag (listing date minus arXiv date, 0-14) is the residue, so two listing dates never draw
    the same id for the same arXiv day, and days never overlap.
    """
    blocks = _blocks_per_day(arxiv_day.year, arxiv_day.month)
    number = 16 * ((arxiv_day.day - 1) * blocks + block) + lag + 1
    return f"{arxiv_day:%y%m}.{number:05d}"


def _arxiv_time(rng: random.Random, arxiv_day: date, same_day: bool) -> datetime:
    """arXiv times cluster just before the 14:00 US Eastern deadline.

    A paper listed on its arXiv day was published early enough to be submitted that day.
    """
    midnight = datetime(arxiv_day.year, arxiv_day.month, arxiv_day.day, tzinfo=UTC)
    if rng.random() < 0.35:
        deadline = midnight + timedelta(hours=14) + _eastern_offset(midnight + timedelta(hours=14))
        return deadline - timedelta(seconds=rng.randint(1, 1500))
    return midnight + timedelta(seconds=rng.randint(0, 72_000 if same_day else 86_399))


@lru_cache(maxsize=4096)
def _day_plan(seed: int, day: date) -> DayPlan:
    """The fresh papers a date lists: only ids and arXiv times, so it is cheap.

    A later date can re-list one of these papers without generating this date's list.
    Each listing day also writes one paper's repo in a messy form, rotating so that any two
    consecutive full weeks show every form (`MESSY_GITHUB_FORMS`).
    """
    rng = random.Random(f"{seed}:{day.isoformat()}")
    if not _is_listing_day(day):
        return DayPlan((), False, 0)
    count, bulk = _day_count(rng, day)
    lags, cumulative = _lag_weights(day.weekday())
    taken: dict[int, set[int]] = {}
    papers = []
    for _ in range(count):
        while True:
            lag = rng.choices(lags, cum_weights=cumulative)[0]
            arxiv_day = day - timedelta(days=lag)
            capacity = _blocks_per_day(arxiv_day.year, arxiv_day.month)
            used = taken.setdefault(lag, set())
            if len(used) < capacity:
                break
        block = rng.randrange(capacity)
        while block in used:
            block = rng.randrange(capacity)
        used.add(block)
        papers.append(
            PlannedPaper(_arxiv_id(arxiv_day, lag, block), _arxiv_time(rng, arxiv_day, lag == 0))
        )
    _, week, weekday = day.isocalendar()
    form = MESSY_GITHUB_FORMS[(week * 5 + weekday - 1) % len(MESSY_GITHUB_FORMS)]
    papers[0] = PlannedPaper(papers[0].paper_id, papers[0].published_at, form)
    return DayPlan(tuple(papers), bulk, rng.getrandbits(32))


# --------------------------------------------------------------------------------------------
# Papers: everything about a paper that does not change when it is listed again.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HubUser:
    object_id: str
    avatar_url: str
    fullname: str
    username: str
    is_pro: bool
    follower_count: int
    is_hf: bool = False


@dataclass(frozen=True)
class Author:
    name: str
    hidden: bool
    user: HubUser | None
    status: str | None
    status_changed_at: datetime | None


@dataclass(frozen=True)
class Paper:
    paper_id: str
    published_at: datetime
    topic: str
    title: str  # unwrapped, as the top level shows it
    listing_title: str  # the top-level title when the submitter edited it
    summary: str  # unwrapped
    keep_wraps: bool  # arXiv wraps survive even in the late, unwrapped era
    summary_paragraphs: bool
    authors: tuple[Author, ...]
    author_base_id: str
    discussion_id: str
    submitter: HubUser
    submitter_is_author: bool
    author_participates: bool
    media_urls: tuple[str, ...]
    legacy_media_url: str | None
    github_repo: str | None
    github_stars: int | None
    project_page: str | None
    ai_summary: str | None
    ai_keywords: tuple[str, ...] | None
    organization: dict[str, str] | None


def _invent_name(rng: random.Random, topic: Topic) -> str:
    roll = rng.random()
    stem = rng.choice(topic.stems)
    if roll < 0.35:
        name = rng.choice(GENERIC_STEMS) + stem
    elif roll < 0.6:
        name = stem + rng.choice(NAME_ENDINGS)
    elif roll < 0.8:
        letters = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        name = letters.upper() if rng.random() < 0.5 else letters.capitalize()
    else:
        name = stem + rng.choice(GENERIC_STEMS)
    if rng.random() < 0.22:
        name += rng.choice(NAME_SUFFIXES)
    return name


def _make_title(rng: random.Random, topic: Topic, name: str) -> str:
    task = _title_case(rng.choice(topic.task))
    part = _title_case(rng.choice(topic.part).removeprefix("a "))
    adj = _title_case(rng.choice(ADJECTIVES))
    noun = _title_case(rng.choice(topic.noun))
    template = rng.randrange(10)
    if template == 6 and topic.name != "data_benchmarks" and rng.random() < 0.7:
        template = 0  # benchmark papers are mostly data papers
    if template == 0:
        return f"{name}: {adj} {noun} for {task}"
    if template == 1:
        return f"{name}: Towards {adj} {task}"
    if template == 2:
        return f"{name}: {task} via {part}"
    if template == 3:
        return f"{name}: Improving {task} with {part}"
    if template == 4:
        return f"{part} for {task}"
    if template == 5:
        return f"{name}: Scaling {task} with {part}"
    if template == 6:
        return f"{name}: A Benchmark for {task}"
    if template == 7:
        return f"Rethinking {part} for {task}"
    if template == 8:
        return f"{name}: Learning {task} from {_title_case(rng.choice(topic.items))}"
    return f"{name}: Bridging {part} and {_title_case(rng.choice(topic.part))} for {task}"


def _edited_title(rng: random.Random, title: str) -> str:
    """How a submitter's edit of the title on the Hub differs from arXiv's."""
    kind = rng.randrange(4)
    if kind == 0 and "Towards" in title:
        return title.replace("Towards", "Toward", 1)
    if kind == 1 and ": " in title:
        head, tail = title.split(": ", 1)
        return f"{head} - {tail}"
    if kind == 2:
        return title + " "
    return title.replace(" ", "  ", 1)


def _make_summary(
    rng: random.Random, topic: Topic, name: str, github_url: str | None
) -> tuple[str, str]:
    """An abstract of ~120-250 words and a one-sentence AI summary.

    Fixed sentences (context, gap, proposal, method, experiments) plus optional ones drawn
    until the target length is reached, each kept in its place in the usual abstract order.
    """
    parts = rng.sample(topic.part, 4)
    benches = rng.sample(topic.bench, min(3, len(topic.bench)))
    baseline = rng.choice(topic.baseline)
    goal = rng.choice(topic.goal)
    adj = rng.choice(ADJECTIVES)
    article = "an" if adj[0] in "aeiou" else "a"
    context = rng.choice(topic.context)
    result = rng.choice(RESULTS).format(baseline=baseline)
    dataset_size = rng.randint(2, 900)
    opener = rng.choice(OPENERS).format(
        name=name, a=article, adj=adj, noun=rng.choice(topic.noun), goal=goal
    )
    experiments = f"Extensive experiments on {', '.join(benches[:-1])} and {benches[-1]}"
    finding = rng.choice(FINDINGS).format(part=parts[0], part2=parts[2])
    improvement = f"{rng.choice(topic.metric)} by {rng.uniform(1.5, 24.0):.1f}% over {baseline}"
    extras = [e.format(name=name, task=rng.choice(topic.task)) for e in rng.sample(EXTRAS, 3)]
    # (position, sentence); the position orders the abstract.
    fixed = [
        (0, f"{context}."),
        (2, f"However, {rng.choice(topic.gap)}."),
        (4, opener),
        (5, f"{name} combines {parts[0]} with {parts[1]}, {rng.choice(BENEFITS)}."),
        (8, f"{experiments} demonstrate that {name} {result}."),
    ]
    optional = [
        (1, rng.choice([c for c in topic.context if c != context]) + "."),
        (3, rng.choice(FILLERS).format(task=rng.choice(topic.task))),
        (
            6,
            f"Specifically, we introduce {parts[2]} together with {parts[3]}, and show how both "
            "can be trained end to end.",
        ),
        (
            7,
            f"To support training and evaluation, we further construct {name}-{dataset_size}K, a "
            f"dataset of {dataset_size}K {rng.choice(topic.items)}.",
        ),
        (9, f"Notably, {name} improves {improvement} {rng.choice(EFFICIENCY_CLAUSES)}."),
        (10, extras[0]),
        (11, f"Further analysis shows that {finding}."),
        (12, extras[1]),
        (13, extras[2]),
    ]
    rng.shuffle(optional)
    target = round(rng.triangular(115, 250, 180))
    words = sum(len(sentence.split()) for _, sentence in fixed)
    chosen = list(fixed)
    while optional and words < target:
        position, sentence = optional.pop()
        chosen.append((position, sentence))
        words += len(sentence.split())
    chosen.sort(key=lambda pair: pair[0])
    sentences = [sentence for _, sentence in chosen]
    if github_url is not None and rng.random() < 0.7:
        sentences.append(f"Code is available at {github_url}.")
    elif rng.random() < 0.3:
        sentences.append("Code and models will be released.")
    ai_summary = (
        f"{name} uses {parts[0]} and {parts[1]} to {goal}, outperforming {baseline} on "
        f"{benches[0]} and {benches[-1]}."
    )
    return " ".join(sentences), ai_summary


def _keyword_variant(rng: random.Random, keyword: str) -> str:
    roll = rng.random()
    if roll < 0.12 and not any(c.isupper() for c in keyword):
        return _title_case(keyword)
    if roll < 0.22:
        if keyword.endswith("models"):
            return keyword[:-1]
        if keyword.endswith("model"):
            return keyword + "s"
    if roll < 0.28 and "-" in keyword:
        return keyword.replace("-", " ")
    if roll < 0.235 and keyword == keyword.lower() and keyword.count(" ") >= 2:
        acronym = "".join(w[0] for w in keyword.split()).upper()
        return f"{keyword} ({acronym})"
    return keyword


def _make_keywords(rng: random.Random, topic: Topic, name: str) -> tuple[str, ...]:
    count = rng.randint(5, 15) if rng.random() < 0.92 else rng.randint(16, 24)
    pool = list(topic.keywords) + list(topic.part[:3])
    chosen = rng.sample(pool, min(count, len(pool)))
    if rng.random() < 0.15:  # a paper that borrows from a neighbouring field
        chosen.append(rng.choice(rng.choice(list(TOPICS.values())).keywords[:4]))
    keywords = [_keyword_variant(rng, k) for k in chosen]
    if rng.random() < 0.5:
        keywords.insert(0, name)
    if rng.random() < 0.3:
        keywords.append(rng.choice(topic.bench))
    return tuple(dict.fromkeys(keywords))  # drop repeats, keep order


def _person_name(rng: random.Random) -> str:
    if rng.random() < 0.008:
        return rng.choice(NON_LATIN_NAMES)
    origin = _pick(rng, _ORIGINS)
    given, surnames, _ = NAME_POOLS[origin]
    first = rng.choice(given)
    last = rng.choice(surnames)
    if origin == "spanish" and rng.random() < 0.3:
        last = f"{last} {rng.choice(surnames)}"
    if origin in ("english", "french", "german") and rng.random() < 0.12:
        first = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
    family_first = origin == "chinese" and rng.random() < 0.04
    name = f"{last} {first}" if family_first else f"{first} {last}"
    roll = rng.random()
    if roll < 0.004:
        return name.replace(" ", "~", 1)
    if roll < 0.008:
        return name + rng.choice(("*", "†", " *"))
    if roll < 0.013:
        return name.replace(" ", "  ", 1)
    if roll < 0.018:
        return name + " "
    return name


def _username(rng: random.Random, name: str) -> str:
    plain = _ascii(name).split()
    if not plain:
        return f"user{rng.randint(100, 99999)}"
    first, last = plain[0], plain[-1]
    style = rng.randrange(7)
    if style == 0:
        handle = f"{first}{last}".lower()
    elif style == 1:
        handle = f"{first[0]}{last}".lower()
    elif style == 2:
        handle = f"{last}{first}"
    elif style == 3:
        handle = f"{first}-{last}".lower()
    elif style == 4:
        handle = f"{first.lower()}{rng.randint(1, 2025)}"
    elif style == 5:
        handle = f"{first}{last[0]}"
    else:
        handle = "".join(rng.choice(SYLLABLES) for _ in range(3)) + str(rng.randint(0, 99))
    return handle.replace(" ", "")


def _hub_user(rng: random.Random, name: str, since: datetime) -> HubUser:
    created = since - timedelta(days=rng.randint(30, 1600), seconds=rng.randint(0, 86_399))
    object_id = _object_id(rng, created)
    if rng.random() < 0.55:
        avatar = f"/avatars/{rng.getrandbits(128):032x}.svg"
    else:
        ext = rng.choice(("jpeg", "png", "jpg", "webp"))
        avatar = AVATAR_UPLOAD_URL.format(object_id, _token(rng), ext)
    username = _username(rng, name)
    roll = rng.random()
    if roll < 0.65:
        fullname = name.strip()
    elif roll < 0.8:
        fullname = username
    elif roll < 0.9:
        fullname = name.split()[0] if name.split() else name
    else:
        fullname = _ascii(name).replace(" ", "").lower() or username
    followers = int(math.exp(rng.gauss(1.0, 1.6))) if rng.random() < 0.7 else 0
    return HubUser(object_id, avatar, fullname, username, rng.random() < 0.08, followers)


@lru_cache(maxsize=16)
def _curators(seed: int) -> tuple[HubUser, ...]:
    """A few prolific people who submit many papers that are not their own."""
    rng = random.Random(f"{seed}:curators")
    since = datetime(2023, 1, 1, tzinfo=UTC)
    users = []
    for index in range(6):
        user = _hub_user(rng, _person_name(rng), since)
        followers = rng.randint(150, 9000)
        users.append(replace(user, is_pro=index < 3, follower_count=followers, is_hf=index == 0))
    return tuple(users)


def _github_owner(rng: random.Random, name: str, authors: Sequence[Author]) -> str:
    roll = rng.random()
    linked = [a.user for a in authors if a.user is not None]
    if roll < 0.35 and linked:
        return rng.choice(linked).username
    if roll < 0.6:
        plain = _ascii(rng.choice(authors).name).split() or ["lab"]
        digits = str(rng.randint(0, 99)) if rng.random() < 0.3 else ""
        return (plain[0][0] + plain[-1]).lower() + digits
    if roll < 0.8:
        return f"{_ascii(name).replace(' ', '')}-{rng.choice(('team', 'project', 'lab', 'ai'))}"
    return rng.choice(ORGANIZATIONS)[0]


def _github_repo(rng: random.Random, owner: str, repo: str, kind: str | None) -> str:
    """`https://github.com/owner/repo`, or one of the messy forms real papers carry."""
    kind = kind or _pick(rng, _GITHUB_VARIANTS)
    canonical = f"https://github.com/{owner}/{repo}"
    if kind == "trailing_slash":
        return canonical + "/"
    if kind == "dot_git":
        return canonical + ".git"
    if kind == "tree_path":
        sub = rng.choice(("examples", "src", repo.lower(), "projects/release", "training"))
        return f"{canonical}/tree/main/{sub}"
    if kind == "blob_path":
        return f"{canonical}/blob/{rng.choice(('main', 'master'))}/README.md"
    if kind == "http_www":
        return f"http://www.github.com/{owner}/{repo}"
    if kind == "owner_only":
        return f"https://github.com/{owner}"
    if kind == "other_host":
        return f"{rng.choice(GIT_HOSTS)}/{owner}/{repo}"
    if kind == "embedded_newline":
        return f"https://github.com/{owner}/\n{repo}"
    if kind == "embedded_space":
        return rng.choice((f"https://github.com/{owner}/ {repo}", f" {canonical} "))
    if kind == "query_fragment":
        return canonical + rng.choice(("?tab=readme-ov-file", "#readme", "?tab=readme-ov-file#"))
    return canonical


def _project_page(rng: random.Random, owner: str, repo: str, paper_id: str) -> str:
    roll = rng.random()
    if roll < 0.55:
        page = f"https://{owner.lower()}.github.io/{rng.choice((repo, repo.lower(), ''))}"
        page = page if page.endswith("/") or rng.random() < 0.4 else page + "/"
    elif roll < 0.7:
        page = f"https://{repo.lower()}.{rng.choice(('ai', 'io', 'com', 'org', 'dev'))}"
    elif roll < 0.78:
        host = rng.choice(PAGE_HOSTS)
        page = f"https://{host}/{repo.lower()}" if "/" in host else f"https://{repo.lower()}.{host}"
    elif roll < 0.84:
        page = rng.choice(
            (
                f"https://huggingface.co/spaces/{owner}/{repo}",
                f"https://huggingface.co/datasets/{owner}/{repo}",
                f"https://huggingface.co/papers/{paper_id}",
                f"https://huggingface.co/{owner}",
            )
        )
    elif roll < 0.9:
        page = f"https://github.com/{owner}/{repo}"
    elif roll < 0.93:
        page = rng.choice(
            (f"{owner.lower()}.github.io/{repo}", "Coming soon", "see github", "TBD", "N/A")
        )
    else:
        page = f"https://{owner.lower()}.github.io/{repo}/"
    if rng.random() < 0.05:
        page = rng.choice((f" {page}", f"{page} ", f"{page}\n"))
    return page


@lru_cache(maxsize=16)
def _organizations(seed: int) -> tuple[dict[str, str], ...]:
    rng = random.Random(f"{seed}:organizations")
    orgs = []
    for name, fullname in ORGANIZATIONS:
        created = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 90_000_000))
        object_id = _object_id(rng, created)
        org = {"_id": object_id, "name": name, "fullname": fullname}
        if rng.random() < 0.92:
            org["avatar"] = UPLOADS_URL.format(f"{rng.getrandbits(96):024x}", _token(rng), "png")
        orgs.append(org)
    return tuple(orgs)


def _make_paper(seed: int, planned: PlannedPaper, late: bool) -> Paper:
    """Everything about a paper that stays the same on every date it is listed."""
    rng = random.Random(f"{seed}:paper:{planned.paper_id}")
    topic = TOPICS[_pick(rng, _TOPIC_LATE if late else _TOPIC_EARLY)]
    name = _invent_name(rng, topic)
    title = _make_title(rng, topic, name)
    listing_title = _edited_title(rng, title) if rng.random() < 0.03 else title
    listed_around = planned.published_at + timedelta(days=1, hours=rng.randint(2, 20))

    n_authors = max(1, min(60, round(math.exp(rng.gauss(1.85, 0.5)))))
    if rng.random() < 0.02:
        n_authors = rng.randint(20, 60)
    authors = []
    for _ in range(n_authors):
        person = _person_name(rng)
        roll = rng.random()
        if roll < 0.1:  # with the submitting authors, about 15% of authors end up linked
            user = _hub_user(rng, person, listed_around)
            status = _pick(rng, _STATUSES)
            changed = listed_around + timedelta(milliseconds=rng.randint(0, 3 * 86_400_000))
            hidden = rng.random() < 0.06
            authors.append(Author(person, hidden, user, status, changed))
        else:
            authors.append(Author(person, rng.random() < 0.002, None, None, None))

    author_base_id = _object_id(rng, listed_around)
    discussion_id = _add_to_object_id(author_base_id, n_authors + rng.randint(0, 9))

    linked = [a for a in authors if a.user is not None]
    roll = rng.random()
    if roll < 0.25:
        submitter, submitter_is_author = rng.choice(_curators(seed)), False
    elif roll < 0.8 or not linked:
        # An author submits: make sure they are linked and have claimed the paper.
        first_authors = len(authors) if rng.random() < 0.4 else min(len(authors), 4)
        index = rng.randrange(first_authors)
        author = authors[index]
        user = author.user or _hub_user(rng, author.name, listed_around)
        claimed = listed_around + timedelta(milliseconds=rng.randint(300_000, 36_000_000))
        authors[index] = Author(author.name, False, user, "claimed_verified", claimed)
        submitter, submitter_is_author = user, True
    else:
        submitter = _hub_user(rng, _person_name(rng), listed_around)
        submitter_is_author = False
    author_participates = submitter_is_author or (bool(linked) and rng.random() < 0.15)

    repo_name = name.replace("++", "-Plus-Plus").replace(" ", "-")
    owner = _github_owner(rng, name, authors)
    has_github = rng.random() < 0.42 or planned.github_variant is not None
    github_repo = None
    github_stars = None
    if has_github:
        github_repo = _github_repo(rng, owner, repo_name, planned.github_variant)
        if rng.random() < 0.92:
            github_stars = min(5000, int(math.exp(rng.gauss(2.6, 1.7))))
    project_page = None
    if rng.random() < 0.3:
        project_page = _project_page(rng, owner, repo_name, planned.paper_id)

    clean_github = f"https://github.com/{owner}/{repo_name}"
    summary, ai_summary = _make_summary(rng, topic, name, clean_github if has_github else None)
    keywords = _make_keywords(rng, topic, name) if rng.random() < 0.95 else None
    if keywords is None or rng.random() < 0.03:
        ai_summary = None

    media_urls: tuple[str, ...] = ()
    if rng.random() < 0.17:
        count = 1 if rng.random() < 0.7 else rng.randint(2, 4)
        media_urls = tuple(
            UPLOADS_URL.format(submitter.object_id, _token(rng), rng.choice(MEDIA_EXTENSIONS))
            for _ in range(count)
        )
    legacy_media_url = None
    if rng.random() < 0.12:
        legacy_media_url = UPLOADS_URL.format(submitter.object_id, _token(rng), "png")

    organization = rng.choice(_organizations(seed)) if rng.random() < 0.45 else None
    return Paper(
        paper_id=planned.paper_id,
        published_at=planned.published_at,
        topic=topic.name,
        title=title,
        listing_title=listing_title,
        summary=summary,
        keep_wraps=rng.random() < 0.08,
        summary_paragraphs=rng.random() < 0.05,
        authors=tuple(authors),
        author_base_id=author_base_id,
        discussion_id=discussion_id,
        submitter=submitter,
        submitter_is_author=submitter_is_author,
        author_participates=author_participates,
        media_urls=media_urls,
        legacy_media_url=legacy_media_url,
        github_repo=github_repo,
        github_stars=github_stars,
        project_page=project_page,
        ai_summary=ai_summary,
        ai_keywords=keywords,
        organization=organization,
    )


# --------------------------------------------------------------------------------------------
# Entries: a paper as one date lists it.
# --------------------------------------------------------------------------------------------


def _user_object(user: HubUser, era: Era) -> dict[str, Any]:
    """A Hub user as it appears inside an author or as `submittedOnDailyBy`."""
    out: dict[str, Any] = {}
    if era.user_id_key is not None:
        out[era.user_id_key] = user.object_id
    out["avatarUrl"] = user.avatar_url
    out["isPro"] = user.is_pro
    out["fullname"] = user.fullname
    out["user"] = user.username
    out["type"] = "user"
    if era.ai_summary_model is not None:
        out["name"] = user.username
    return out


def _submitted_by(user: HubUser, era: Era) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if era.daily_submission:
        out["_id"] = user.object_id
    out["avatarUrl"] = user.avatar_url
    out["fullname"] = user.fullname
    out["name"] = user.username
    out["type"] = "user"
    out["isPro"] = user.is_pro
    out["isHf"] = user.is_hf
    if era.github_stars:
        out["isHfAdmin"] = False
    out["isMod"] = False
    if era.follower_count and user.follower_count > 0:
        out["followerCount"] = user.follower_count
    if era.user_following:
        out["isUserFollowing"] = False
    return out


def _authors(paper: Paper, era: Era) -> list[dict[str, Any]]:
    out = []
    for position, author in enumerate(paper.authors):
        entry: dict[str, Any] = {"_id": _add_to_object_id(paper.author_base_id, position)}
        if author.user is not None and author.status_changed_at is not None:
            entry["user"] = _user_object(author.user, era)
            entry["name"] = author.name
            entry["status"] = author.status
            entry["statusLastChangedAt"] = _timestamp(author.status_changed_at)
        else:
            entry["name"] = author.name
        entry["hidden"] = author.hidden
        out.append(entry)
    return out


def _entry(
    paper: Paper, era: Era, submitted_at: datetime, upvotes: int, comments: int
) -> dict[str, Any]:
    """One element of the response array, with exactly the keys (and order) of its era."""
    wrapped = era.wrapped or paper.keep_wraps
    paper_title = _wrap_title(paper.title) if wrapped else paper.title
    if wrapped:
        summary = _wrap_abstract(paper.summary)
    elif paper.summary_paragraphs:
        summary = paper.summary.replace(". Extensive", ".\n\nExtensive", 1)
    else:
        summary = paper.summary
    published_at = paper.published_at
    if era.ai_summary_model is not None and published_at.second % 5 < 3:
        published_at = published_at.replace(hour=0, minute=0, second=0)
    listing_title = paper.listing_title
    if era.daily_submission and era.wrapped and listing_title == paper.title:
        listing_title = paper_title  # 2025-03..2025-10: the top-level title keeps wraps too

    body: dict[str, Any] = {"id": paper.paper_id, "authors": _authors(paper, era)}
    if era.daily_submission and paper.media_urls:
        body["mediaUrls"] = list(paper.media_urls)
    body["publishedAt"] = _timestamp(published_at)
    if era.daily_submission:
        body["submittedOnDailyAt"] = _timestamp(submitted_at)
    body["title"] = paper_title
    if era.daily_submission:
        body["submittedOnDailyBy"] = _user_object(paper.submitter, era)
    body["summary"] = summary
    body["upvotes"] = upvotes
    if era.discussion_id:
        body["discussionId"] = paper.discussion_id
    if era.daily_submission:
        if paper.project_page is not None:
            body["projectPage"] = paper.project_page
        if paper.github_repo is not None:
            body["githubRepo"] = paper.github_repo
            if era.github_added_by:
                body["githubRepoAddedBy"] = "user"
        if era.ai_summary and paper.ai_summary is not None:
            body["ai_summary"] = paper.ai_summary
        if paper.ai_keywords is not None:
            body["ai_keywords"] = list(paper.ai_keywords)
        if era.ai_summary_model is not None and paper.ai_summary is not None:
            body["ai_summary_model"] = era.ai_summary_model
        if era.github_stars and paper.github_repo is not None and paper.github_stars is not None:
            body["githubStars"] = paper.github_stars
        if era.organization and paper.organization is not None:
            body["organization"] = dict(paper.organization)

    entry: dict[str, Any] = {"paper": body}
    if era.daily_submission:
        # A real quirk: the arXiv time in US Eastern, labelled as UTC.
        entry["publishedAt"] = _timestamp(published_at - _eastern_offset(published_at))
    else:
        entry["publishedAt"] = _timestamp(submitted_at)
    entry["title"] = listing_title
    if era.daily_submission:
        entry["summary"] = summary
    if era.thumbnail:
        if paper.media_urls:
            entry["mediaUrls"] = list(paper.media_urls)
        entry["thumbnail"] = THUMBNAIL_URL.format(paper.paper_id)
    else:
        entry["mediaUrl"] = paper.legacy_media_url or THUMBNAIL_URL.format(paper.paper_id)
    entry["numComments"] = comments
    if era.submitted_by:
        entry["submittedBy"] = _submitted_by(paper.submitter, era)
    if era.organization and paper.organization is not None:
        entry["organization"] = dict(paper.organization)
    if era.daily_submission:
        entry["isAuthorParticipating"] = paper.author_participates
    return entry


def _upvotes(rng: random.Random) -> int:
    return min(900, int(math.exp(rng.gauss(1.7, 1.25))))


def _comments(rng: random.Random, upvotes: int) -> int:
    base = rng.choices((0, 1, 2, 3, 4, 5), cum_weights=(14, 50, 80, 90, 95, 98))[0]
    if rng.random() < 0.02:
        base = rng.randint(6, 10)
    return base + (1 if upvotes > 60 and rng.random() < 0.5 else 0)


def _in_backlog(seed: int, day: date) -> bool:
    """Some weeks the list also carries papers submitted a few days earlier."""
    year, week, _ = day.isocalendar()
    return random.Random(f"{seed}:backlog:{year}-{week}").random() < 0.12


def _submission_time(rng: random.Random, day: date, era: Era, backlog: bool) -> datetime:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if era.ai_summary_model is not None:
        return midnight  # from 2026-06 the API rounds this to the listing day
    if backlog and rng.random() < 0.25:
        earlier = timedelta(days=rng.randint(1, 4), milliseconds=rng.randrange(86_400_000))
        return midnight - earlier
    roll = rng.random()
    if not era.daily_submission and roll < 0.15:
        seconds = -rng.randint(60, 3 * 3600)  # the evening before, UTC
    elif roll < 0.75:
        seconds = rng.randint(0, 4 * 3600)
    else:
        seconds = rng.randint(4 * 3600, 86_399)
    return midnight + timedelta(seconds=seconds, milliseconds=rng.randrange(1000))


def generate_listing(listing_date: date, seed: int = 0) -> list[dict[str, Any]]:
    """The JSON-ready list the Daily Papers API returns for `listing_date` (all pages).

    Deterministic from `(seed, listing_date)` alone. Weekends, holidays and dates before the
    feed started give an empty list.
    """
    plan = _day_plan(seed, listing_date)
    if not plan.papers:
        return []
    era = Era.of(listing_date)
    late = listing_date.year >= 2025
    rng = random.Random(f"{seed}:{listing_date.isoformat()}:listing:{plan.state}")
    backlog = _in_backlog(seed, listing_date)

    papers = [_make_paper(seed, p, late) for p in plan.papers]

    # Re-listings: ~2% of entries are a paper that an earlier date already listed.
    for _ in range(len(plan.papers)):
        if rng.random() >= 0.02:
            continue
        earlier = listing_date - timedelta(days=rng.randint(1, 6))
        while not _is_listing_day(earlier) and earlier >= FEED_START:
            earlier -= timedelta(days=1)
        oldest = datetime(listing_date.year, listing_date.month, listing_date.day, tzinfo=UTC)
        choices = [
            p
            for p in _day_plan(seed, earlier).papers
            if p.published_at >= oldest - timedelta(days=14)
        ]
        if choices:
            papers.append(_make_paper(seed, rng.choice(choices), earlier.year >= 2025))

    # The same arXiv id twice in one day's list: a bulk addition re-adds a paper that is
    # already listed; ordinary days do so one time in a hundred. Over 2023-05..2025-10 that
    # is about one listing day in twenty-five (more often from 2025, when bulk days are common).
    if plan.bulk or rng.random() < 0.01:
        papers.append(rng.choice(papers))

    entries = []
    for paper in papers:
        upvotes = _upvotes(rng)
        submitted_at = _submission_time(rng, listing_date, era, backlog)
        submitted_at = max(submitted_at, paper.published_at + timedelta(minutes=30))
        entries.append(
            (upvotes, _entry(paper, era, submitted_at, upvotes, _comments(rng, upvotes)))
        )
    entries.sort(key=lambda pair: -pair[0])  # the API lists by upvotes, most first
    return [entry for _, entry in entries]


def listing_json(listing: list[dict[str, Any]]) -> bytes:
    """The bytes the API sends for a listing: compact JSON, UTF-8, non-ASCII unescaped."""
    return json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_sample(start: date, end: date, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write `YYYY-MM-DD.json` for every date in `[start, end]` (inclusive) with a list."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    day = start
    while day <= end:
        listing = generate_listing(day, seed)
        if listing:
            path = out_dir / f"{day.isoformat()}.json"
            path.write_bytes(listing_json(listing))
            written.append(path)
        day += timedelta(days=1)
    return written


def write_bundled_sample(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Rewrite the bundled sample, removing any date file the generator no longer writes."""
    out_dir = Path(out_dir)
    for stale in out_dir.glob("????-??-??.json"):
        stale.unlink()
    return write_sample(SAMPLE_START, SAMPLE_END, out_dir, seed=0)
